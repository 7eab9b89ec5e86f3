package io.exportcounter.contract;

/** What customs did with a declaration (CONTRACT.md section 2). */
public enum Action {
    /** Accepted by customs: counted. */
    ACCEPT,
    /** A full replacement of every field; the old contribution is removed. */
    AMEND,
    /** Withdrawn: everything it contributed is removed. */
    CANCEL
}

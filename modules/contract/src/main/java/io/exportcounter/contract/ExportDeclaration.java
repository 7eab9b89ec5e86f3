package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A customs export-declaration event (CONTRACT.md section 2), as validated by {@link ContractJson}.
 * For a CANCEL only {@code declarationId}, {@code revision} and {@code action} are guaranteed; the
 * other fields may be null. {@code exporterSize} is never null ({@link ExporterSize#UNKNOWN} when absent).
 *
 * @param correctedAt when customs accepted this amendment or withdrawal, from the optional {@code amendedAt}
 *                    (AMEND) or {@code cancelledAt} (CANCEL) field; null for an ACCEPT, and when the record does
 *                    not say or says it in a form that is not an ISO-8601 date-time with an offset (the field is
 *                    an extension the contract does not require, so it never costs a record). It places the
 *                    correction in the order milestones are decided in (docs/architecture.md, "Acceptance order").
 */
public record ExportDeclaration(
        String declarationId,
        int revision,
        Action action,
        OffsetDateTime acceptedAt,
        String exporterId,
        ExporterSize exporterSize,
        String hsCode,
        String destination,
        String currency,
        BigDecimal fobAmount,
        OffsetDateTime correctedAt) {

    /** A declaration event that does not say when a correction was made. */
    public ExportDeclaration(String declarationId, int revision, Action action, OffsetDateTime acceptedAt,
            String exporterId, ExporterSize exporterSize, String hsCode, String destination, String currency,
            BigDecimal fobAmount) {
        this(declarationId, revision, action, acceptedAt, exporterId, exporterSize, hsCode, destination, currency,
                fobAmount, null);
    }

    public static ExportDeclaration cancel(String declarationId, int revision) {
        return cancel(declarationId, revision, null);
    }

    public static ExportDeclaration cancel(String declarationId, int revision, OffsetDateTime cancelledAt) {
        return new ExportDeclaration(declarationId, revision, Action.CANCEL, null, null,
                ExporterSize.UNKNOWN, null, null, null, null, cancelledAt);
    }
}

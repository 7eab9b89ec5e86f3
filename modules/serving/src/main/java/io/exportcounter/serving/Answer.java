package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One API answer: status and JSON body, whether it came from a store that may be behind (standby or
 * restoring), and which instance computed it. Bodies are built by the same code on every instance, so
 * an answer is the same whichever instance a client asks.
 */
record Answer(int status, byte[] body, boolean stale, String servedBy) {

    static Answer ok(JsonNode body) {
        return new Answer(200, Json.bytes(body), false, null);
    }

    static Answer error(int status, String message) {
        return new Answer(status, Json.error(message), false, null);
    }

    Answer withSource(boolean stale, String servedBy) {
        return new Answer(status, body, stale, servedBy);
    }
}

package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A customs export-declaration event (CONTRACT.md section 2), as validated by {@link ContractJson}.
 * For a CANCEL only {@code declarationId}, {@code revision} and {@code action} are guaranteed; the
 * other fields may be null. {@code exporterSize} is never null ({@link ExporterSize#UNKNOWN} when absent).
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
        BigDecimal fobAmount) {

    public static ExportDeclaration cancel(String declarationId, int revision) {
        return new ExportDeclaration(declarationId, revision, Action.CANCEL, null, null,
                ExporterSize.UNKNOWN, null, null, null, null);
    }
}

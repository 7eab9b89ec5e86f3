package io.exportcounter.faults;

import io.exportcounter.simulator.Calibration;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulatorOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated 2025 calibrated to the published monthly totals (the simulator module), with its amendments,
 * withdrawals, redeliveries, malformed records and late rates: what the fault suite replays, and what it
 * checks the totals against — the national total of the year and of each month is the published one, to the
 * cent, and the $700B crossing is planned on one declaration.
 */
final class CalibratedYear {
    final int declarations;
    final List<SimEvent> events;
    final String crossingDeclarationId;
    final long annualCents;
    final long[] monthCents;

    private CalibratedYear(int declarations, List<SimEvent> events, String crossingDeclarationId, long annualCents,
            long[] monthCents) {
        this.declarations = declarations;
        this.events = events;
        this.crossingDeclarationId = crossingDeclarationId;
        this.annualCents = annualCents;
        this.monthCents = monthCents;
    }

    static final int CI_DECLARATIONS = 10_000;
    static final int FULL_DECLARATIONS = 100_000;
    private static CalibratedYear forTheSuite;

    /**
     * The year every pipeline scenario of this JVM counts: {@value #CI_DECLARATIONS} declarations in CI,
     * {@value #FULL_DECLARATIONS} in the full run ({@code -Dfaults.full=true}); seed 2025.
     */
    static synchronized CalibratedYear forTheSuite() {
        if (forTheSuite == null) {
            forTheSuite = of(Boolean.getBoolean("faults.full") ? FULL_DECLARATIONS : CI_DECLARATIONS, 2025);
        }
        return forTheSuite;
    }

    static CalibratedYear of(int declarations, long seed) {
        SimulatorOptions options = SimulatorOptions.builder().declarations(declarations).seed(seed).progress(false).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        List<SimEvent> events = new ArrayList<>();
        generator.forEachRemaining(events::add);
        Calibration calibration = Calibration.of(options);
        return new CalibratedYear(declarations, List.copyOf(events), generator.crossingDeclarationId(),
                calibration.annualCents(), calibration.monthTargetsCents().clone());
    }
}

package io.exportcounter.simulator;

import io.exportcounter.contract.ExporterSize;
import java.util.HashSet;
import java.util.Set;

/**
 * The exporting firms: about 0.9% large enterprises, 2.5% mid-sized and the rest SMEs (2024: ~96k
 * exporting SMEs), each with a 10-digit business registration number. Who exports is heavy-tailed: within
 * each size a firm's share of declarations follows a Zipf law, and each item group has its own leaders
 * (the top semiconductor exporter is not the top shipbuilder).
 */
final class Exporters {
    static final double LARGE_SHARE = 0.009;
    static final double MIDSIZE_SHARE = 0.025;
    private static final double[] ZIPF_EXPONENT = {1.1, 0.9, 0.8};
    private static final int[] CHECK_WEIGHTS = {1, 3, 7, 1, 3, 7, 1, 3, 5};

    private final String[][] ids = new String[3][];
    private final AliasTable[] popularity = new AliasTable[3];

    Exporters(int total, long seed) {
        int large = Math.max(1, (int) Math.round(total * LARGE_SHARE));
        int midsize = Math.max(1, (int) Math.round(total * MIDSIZE_SHARE));
        int[] sizes = {large, midsize, Math.max(1, total - large - midsize)};
        Rng rng = new Rng(Rng.derive(seed, 0xE4907L));
        Set<String> used = new HashSet<>();
        for (int z = 0; z < 3; z++) {
            ids[z] = new String[sizes[z]];
            for (int i = 0; i < sizes[z]; i++) {
                String id;
                do {
                    id = businessNumber(rng, z);
                } while (!used.add(id));
                ids[z][i] = id;
            }
            popularity[z] = AliasTable.zipf(sizes[z], ZIPF_EXPONENT[z]);
        }
    }

    static int sizeIndex(ExporterSize size) {
        return switch (size) {
            case LARGE -> 0;
            case MIDSIZE -> 1;
            default -> 2;
        };
    }

    int poolSize(ExporterSize size) {
        return ids[sizeIndex(size)].length;
    }

    String id(ExporterSize size, int index) {
        return ids[sizeIndex(size)][index];
    }

    /** A firm of the size for a declaration of item group {@code salt}: Zipf rank (from {@code u}), shifted per group. */
    int pick(ExporterSize size, int salt, double u) {
        int z = sizeIndex(size);
        int n = ids[z].length;
        int rank = popularity[z].sample(u);
        long shift = (salt * 7919L) % n;
        return (int) ((rank + shift) % n);
    }

    /** The top-ranked firm of a size for an item group (the crossing's shipbuilder). */
    int leader(ExporterSize size, int salt) {
        int n = ids[sizeIndex(size)].length;
        return (int) ((salt * 7919L) % n);
    }

    /**
     * A business registration number: tax office (3), type (2: 81/86/87/88 corporations, 01-79 sole
     * proprietors), serial (4), check digit (the National Tax Service's weighted sum).
     */
    static String businessNumber(Rng rng, int size) {
        int office = 101 + rng.nextInt(750);
        int type;
        if (size == 2 && rng.chance(0.3)) {
            type = 1 + rng.nextInt(79);
        } else {
            int[] corporate = {81, 86, 87, 88};
            type = corporate[rng.nextInt(corporate.length)];
        }
        int serial = 1 + rng.nextInt(9999);
        long body = office * 1_000_000L + type * 10_000L + serial;
        char[] digits = new char[10];
        int sum = 0;
        for (int i = 8; i >= 0; i--) {
            int d = (int) (body % 10);
            body /= 10;
            digits[i] = (char) ('0' + d);
            sum += d * CHECK_WEIGHTS[i];
        }
        sum += (digits[8] - '0') * 5 / 10;
        digits[9] = (char) ('0' + (10 - sum % 10) % 10);
        return new String(digits);
    }

    static boolean validBusinessNumber(String id) {
        if (id.length() != 10 || !id.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (id.charAt(i) - '0') * CHECK_WEIGHTS[i];
        }
        sum += (id.charAt(8) - '0') * 5 / 10;
        return (10 - sum % 10) % 10 == id.charAt(9) - '0';
    }
}

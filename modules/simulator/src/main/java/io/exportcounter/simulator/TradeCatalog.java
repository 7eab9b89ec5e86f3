package io.exportcounter.simulator;

import io.exportcounter.contract.ExporterSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Korea exports, to whom, how and in which currency: the reference data behind every generated
 * declaration (DOMAIN.md). Value shares are 2025's (semiconductors $173.4B of $709.7B, ...); the rest of
 * the year is spread over the other item groups of {@code config/hs-categories.csv} with real-looking
 * 10-digit HSK codes whose prefixes map to them (and to OTHER for goods no rule covers).
 *
 * <p>Each item group is split by exporter size with its own log-normal value distribution, so values are
 * heavy-tailed (ships and plants at $100M+, SME lots at a few hundred thousand) and SMEs end up with
 * about 17% of the value, as in 2024 ($115.1B of $683.8B). The medians are sized for about 400,000
 * declarations in a year; the generator scales them to the calibrated totals, and any declarations
 * beyond that become e-commerce parcels of a few hundred dollars.
 */
final class TradeCatalog {
    private TradeCatalog() {
    }

    /** One kind of declaration: an item group, an exporter size and a log-normal value. */
    record Profile(String category, ExporterSize size, double medianUsd, double sigma, double valueShare,
                   String[] hsCodes, double[] hsCumulative, double airShare, String[] seaOffices,
                   double[] seaOfficeCumulative, boolean parcel) {
        double meanUsd() {
            return medianUsd * StrictMath.exp(sigma * sigma / 2);
        }
    }

    record CategoryRow(String name, double valueBillions, double large, double midsize, double sme,
                       double medianLarge, double medianMidsize, double medianSme, double sigmaLarge,
                       double sigmaOthers, double airShare, String ports, String hs) {
    }

    private static final String SEA_GENERAL = "BUSAN:45 INCHEON:17 PYEONGTAEK:12 ULSAN:8 GWANGYANG:8 MASAN:5 YEOSU:5";
    private static final String SEA_AUTOS = "PYEONGTAEK:35 ULSAN:35 MOKPO:10 BUSAN:10 INCHEON:10";
    private static final String SEA_REFINERY = "ULSAN:40 YEOSU:35 SEOSAN:25";
    private static final String SEA_CHEMICALS = "ULSAN:35 YEOSU:30 SEOSAN:20 BUSAN:15";
    private static final String SEA_SHIPYARDS = "ULSAN:40 TONGYEONG:35 MOKPO:15 BUSAN:10";
    private static final String SEA_STEEL = "GWANGYANG:35 POHANG:30 PYEONGTAEK:15 BUSAN:10 INCHEON:10";

    /**
     * Item groups: value (USD billions, 2025), value split LARGE/MIDSIZE/SME, median value per size,
     * sigma (LARGE, others), share flown, sea ports, and HSK codes with relative weights.
     */
    static final List<CategoryRow> CATEGORIES = List.of(
            new CategoryRow("SEMICONDUCTORS", 173.4, .88, .05, .07, 4.2e6, 1.14e6, 585e3, 1.3, 1.1, .85, SEA_GENERAL,
                    "8542321010:30 8542321090:12 8542329000:10 8542311000:12 8542391000:8 8542331000:5 8542399000:6"
                            + " 8541100000:3 8541290000:3 8541490000:4 8541510000:4 8541900000:3"),
            new CategoryRow("AUTOMOBILES", 72.0, .95, .04, .01, 5.6e6, 950e3, 390e3, 1.0, 1.0, 0, SEA_AUTOS,
                    "8703231010:18 8703231090:8 8703241010:10 8703321000:5 8703401000:14 8703601000:6 8703800000:22"
                            + " 8704211000:6 8704221000:4"),
            new CategoryRow("PETROLEUM_PRODUCTS", 45.5, .97, .02, .01, 25.2e6, 5.7e6, 1.56e6, 0.8, 1.0, 0, SEA_REFINERY,
                    "2710192010:30 2710192020:10 2710121000:15 2710122000:8 2710193010:12 2710195010:10 2710199000:15"),
            new CategoryRow("PETROCHEMICALS", 42.5, .70, .18, .12, 2.1e6, 950e3, 468e3, 1.1, 1.1, .02, SEA_CHEMICALS,
                    "3901101000:12 3901209000:8 3902100000:12 3903301000:10 3907610000:8 3907409000:6 3904101000:4"
                            + " 2902500000:8 2902430000:10 2917361000:8 2905311000:6 2909600000:2 3920109000:6"),
            new CategoryRow("SHIPS", 32.0, .93, .05, .02, 90e6, 22.8e6, 5.85e6, 0.7, 1.0, 0, SEA_SHIPYARDS,
                    "8901201000:30 8901901010:30 8901901090:10 8901101000:3 8905200000:5 8905909000:7 8904009000:4"
                            + " 8906909000:3 8903920000:4 8902001000:4"),
            new CategoryRow("STEEL", 30.3, .65, .20, .15, 2.8e6, 950e3, 468e3, 1.0, 1.0, 0, SEA_STEEL,
                    "7208511000:12 7208390000:10 7209170000:10 7210491000:12 7219330000:8 7225400000:6 7213910000:4"
                            + " 7304290000:8 7305110000:6 7306309000:6 7308909000:8 7318159000:6 7326909000:4"),
            new CategoryRow("AGRI_FOOD", 12.4, .15, .25, .60, 560e3, 230e3, 136e3, 1.0, 1.2, .15, SEA_GENERAL,
                    "1902301010:20 1212211000:10 2106909099:12 1704909000:8 2202999000:8 2103909000:8 2208909000:6"
                            + " 0304870000:5 2402201000:8 0709599000:3 1905909000:6 0306149000:3 2005999000:3"),
            new CategoryRow("COSMETICS", 11.4, .20, .20, .60, 840e3, 280e3, 156e3, 1.0, 1.2, .35, SEA_GENERAL,
                    "3304991000:40 3304999000:20 3304100000:8 3304200000:6 3304910000:5 3305100000:8 3305900000:4"
                            + " 3303001000:3 3306101000:3 3307200000:3"),
            new CategoryRow("GENERAL_MACHINERY", 48.0, .45, .25, .30, 2.1e6, 760e3, 351e3, 1.4, 1.2, .15, SEA_GENERAL,
                    "8486201000:14 8486909000:8 8429521000:10 8481809000:8 8413709000:6 8414309000:6 8479899000:8"
                            + " 8483409000:5 8419899000:5 8477109000:4 8466939000:4 8473301000:4 8431499000:6 8409919000:6"
                            + " 8415101000:6"),
            new CategoryRow("AUTO_PARTS", 21.5, .30, .40, .30, 1.68e6, 760e3, 351e3, 1.0, 1.1, .05, SEA_AUTOS,
                    "8708299000:20 8708409000:15 8708999000:20 8708800000:10 8708301000:10 8708501000:10"
                            + " 8708949000:8 8708700000:7"),
            new CategoryRow("DISPLAYS", 17.0, .85, .08, .07, 3.5e6, 760e3, 351e3, 1.1, 1.1, .6, SEA_GENERAL,
                    "8524110000:25 8524120000:30 8524910000:15 8524920000:10 9013801000:15 9013901000:5"),
            new CategoryRow("WIRELESS_DEVICES", 16.5, .75, .10, .15, 2.8e6, 570e3, 273e3, 1.1, 1.1, .8, SEA_GENERAL,
                    "8517131000:45 8517140000:5 8517620000:20 8517790000:25 8517710000:5"),
            new CategoryRow("BIO_HEALTH", 17.5, .35, .35, .30, 4.2e6, 760e3, 273e3, 1.4, 1.2, .7, SEA_GENERAL,
                    "3002150000:30 3002419000:8 3004909000:15 3004201000:5 3006101000:4 9018399000:8 9018901000:8"
                            + " 9021291000:12 9022140000:5 9019109000:5"),
            new CategoryRow("COMPUTERS", 14.0, .55, .20, .25, 2.8e6, 570e3, 234e3, 1.1, 1.1, .8, SEA_GENERAL,
                    "8471700000:45 8471500000:15 8471300000:15 8471800000:15 8471490000:10"),
            new CategoryRow("ELECTRICAL_EQUIPMENT", 16.0, .40, .30, .30, 2.1e6, 760e3, 273e3, 1.3, 1.1, .2, SEA_GENERAL,
                    "8504231000:12 8504409000:10 8544421000:10 8544601000:8 8536509000:8 8537109000:10 8501520000:6"
                            + " 8523510000:16 8528729000:8 8532240000:6 8533210000:6"),
            new CategoryRow("TEXTILES", 10.5, .10, .25, .65, 560e3, 280e3, 156e3, 1.0, 1.1, .1, SEA_GENERAL,
                    "5407520000:15 5512110000:8 6006320000:15 5402330000:12 5503200000:10 6109100000:10 6204620000:8"
                            + " 5603149000:8 6307909000:8 5903909000:6"),
            new CategoryRow("SECONDARY_BATTERIES", 8.0, .80, .15, .05, 4.2e6, 1.14e6, 390e3, 1.0, 1.0, .1, SEA_GENERAL,
                    "8507600000:55 8507601000:10 8507900000:25 8507800000:10"),
            new CategoryRow("HOME_APPLIANCES", 7.5, .70, .15, .15, 1.68e6, 570e3, 234e3, 1.0, 1.0, .05, SEA_GENERAL,
                    "8418102000:20 8418211000:10 8450111000:20 8450200000:8 8516500000:12 8516601000:10"
                            + " 8516310000:10 8516710000:10"),
            new CategoryRow("OTHER", 113.7, .35, .32, .33, 1.4e6, 570e3, 234e3, 1.3, 1.2, .2, SEA_GENERAL,
                    "4011101000:10 4011201000:6 7408110000:6 7601200000:6 7606120000:6 7404000000:3 7108130000:4"
                            + " 9001500000:4 9031809000:6 9027809000:4 8711602000:3 9503004000:3 4202220000:3"
                            + " 2804610000:4 3824999000:6 3208209000:3 7007190000:3 4810139000:3 9403609000:3"
                            + " 2711110000:3 7113190000:2 8714109000:3 2836999000:2 3506919000:2"));

    /** Plants (turbines, boilers, process plant) shipped in one piece: 20% of LARGE general machinery. */
    static final double PLANT_SHARE_OF_LARGE_MACHINERY = 0.20;
    private static final String PLANT_HS = "8411820000:25 8406820000:20 8402190000:20 8419899000:15 8479899000:20";

    /** E-commerce parcels (K-beauty, K-food, apparel, goods): SMEs, a few hundred dollars, mostly flown. */
    private static final String[][] PARCELS = {
            {"COSMETICS", "45", "3304991000:50 3304999000:25 3304100000:15 3305100000:10"},
            {"TEXTILES", "20", "6109100000:40 6204620000:30 6110309000:30"},
            {"AGRI_FOOD", "15", "1902301010:50 1704909000:25 2106909099:25"},
            {"OTHER", "20", "4202220000:30 9503004000:30 4911911000:20 7117190000:20"},
    };
    static final double PARCEL_MEDIAN_USD = 180;
    static final double PARCEL_SIGMA = 0.9;

    /** The profiles of the core trade (everything but parcels), with their value shares summing to 1. */
    static final List<Profile> CORE = core();
    static final List<Profile> PARCEL_PROFILES = parcels();

    private static List<Profile> core() {
        double total = CATEGORIES.stream().mapToDouble(CategoryRow::valueBillions).sum();
        List<Profile> out = new ArrayList<>();
        for (CategoryRow c : CATEGORIES) {
            Weighted<String> hs = Weighted.parse(c.hs());
            Weighted<String> ports = Weighted.parse(c.ports());
            double share = c.valueBillions() / total;
            double[] split = {c.large(), c.midsize(), c.sme()};
            double[] medians = {c.medianLarge(), c.medianMidsize(), c.medianSme()};
            ExporterSize[] sizes = {ExporterSize.LARGE, ExporterSize.MIDSIZE, ExporterSize.SME};
            for (int z = 0; z < 3; z++) {
                double sigma = z == 0 ? c.sigmaLarge() : c.sigmaOthers();
                double s = share * split[z];
                if (z == 0 && c.name().equals("GENERAL_MACHINERY")) {
                    Weighted<String> plantHs = Weighted.parse(PLANT_HS);
                    out.add(new Profile(c.name(), sizes[z], 120e6, 0.6, s * PLANT_SHARE_OF_LARGE_MACHINERY,
                            plantHs.items(), plantHs.cumulative(), 0, ports.items(), ports.cumulative(), false));
                    s *= 1 - PLANT_SHARE_OF_LARGE_MACHINERY;
                }
                out.add(new Profile(c.name(), sizes[z], medians[z], sigma, s, hs.items(), hs.cumulative(),
                        c.airShare(), ports.items(), ports.cumulative(), false));
            }
        }
        return List.copyOf(out);
    }

    private static List<Profile> parcels() {
        Weighted<String> ports = Weighted.parse("INCHEON:60 PYEONGTAEK:40");
        double total = 0;
        for (String[] p : PARCELS) {
            total += Double.parseDouble(p[1]);
        }
        List<Profile> out = new ArrayList<>();
        for (String[] p : PARCELS) {
            Weighted<String> hs = Weighted.parse(p[2]);
            out.add(new Profile(p[0], ExporterSize.SME, PARCEL_MEDIAN_USD, PARCEL_SIGMA, Double.parseDouble(p[1]) / total,
                    hs.items(), hs.cumulative(), 0.7, ports.items(), ports.cumulative(), true));
        }
        return List.copyOf(out);
    }

    /** The air-cargo customs office; sea ports come with each item group. */
    static final String AIRPORT = "INCHEON_AIRPORT";

    /**
     * Destinations by share of value (%), 2025: China 18.5, US 17.4, ASEAN 17.3, EU ~9.5, Japan 4.2, Latin
     * America ~4, India 2.7, Middle East ~3, and the rest. Liberia, the Marshall Islands, Panama, Greece
     * and the Bahamas are flags of the ships Korea delivers.
     */
    static final String DESTINATIONS =
            "CN:18.5 US:17.4"
                    + " VN:8.8 SG:2.4 MY:1.6 TH:1.4 ID:1.3 PH:1.4 KH:0.2 MM:0.1 BN:0.05 LA:0.05"
                    + " DE:1.6 NL:1.3 PL:1.5 HU:1.1 FR:0.6 IT:0.6 ES:0.6 BE:0.5 SK:0.4 CZ:0.4 SE:0.3 AT:0.2 SI:0.2"
                    + " DK:0.1 FI:0.1 GR:0.5 MT:0.25"
                    + " JP:4.2 HK:4.4 TW:4.5 IN:2.7 AU:2.6"
                    + " MX:1.9 BR:0.8 CL:0.5 PE:0.3 CO:0.3 AR:0.1 PA:0.7 BS:0.25"
                    + " AE:1.0 SA:1.1 QA:0.3 IL:0.2 KW:0.15 OM:0.1 IQ:0.15"
                    + " CA:1.3 GB:0.9 TR:1.3 RU:0.6 MN:0.4 KZ:0.5 UZ:0.4 LR:1.2 MH:1.0 BM:0.25 NO:0.3 CH:0.3"
                    + " NZ:0.4 ZA:0.3 EG:0.3 NG:0.1 BD:0.4 PK:0.2 LK:0.1 MO:0.2 KE:0.1";

    /** Where new ships go: the flag states of their owners, and owners' home ports. */
    static final String SHIP_DESTINATIONS = "LR:25 MH:20 PA:15 GR:10 SG:10 BS:5 BM:5 MT:5 NO:5";

    /** Currencies other than USD a destination is invoiced in, with the share of its declarations. */
    static final Map<String, String> LOCAL_CURRENCY = localCurrencies();
    static final double EUR_SHARE_IN_EU = 0.40;
    static final double JPY_SHARE_IN_JAPAN = 0.30;
    static final double CNY_SHARE_IN_CHINA = 0.12;
    /** Some exporters invoice in won whatever the destination. */
    static final double KRW_SHARE = 0.02;

    private static Map<String, String> localCurrencies() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String eu : "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" ")) {
            m.put(eu, "EUR");
        }
        m.put("JP", "JPY");
        m.put("CN", "CNY");
        return Map.copyOf(m);
    }

    /** Items with cumulative weights, for binary-search sampling. */
    record Weighted<T>(T[] items, double[] cumulative) {
        static Weighted<String> parse(String spec) {
            String[] parts = spec.trim().split("\\s+");
            String[] items = new String[parts.length];
            double[] cum = new double[parts.length];
            double sum = 0;
            for (int i = 0; i < parts.length; i++) {
                int colon = parts[i].lastIndexOf(':');
                items[i] = parts[i].substring(0, colon);
                sum += Double.parseDouble(parts[i].substring(colon + 1));
                cum[i] = sum;
            }
            for (int i = 0; i < cum.length; i++) {
                cum[i] /= sum;
            }
            cum[cum.length - 1] = 1.0;
            return new Weighted<>(items, cum);
        }
    }

    /** Index of the first cumulative weight above {@code u} (u in [0, 1)). */
    static int pick(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}

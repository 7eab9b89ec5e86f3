package io.exportcounter.pipeline.classification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegionTableTest {

    static final Path CONFIG_FILE = Path.of("../../config/regions.csv");

    @TempDir
    Path dir;

    @Test
    void everyIsoCountryHasExactlyOneRowAndNothingElseIs() throws IOException {
        Set<String> iso = Set.of(Locale.getISOCountries());
        RegionTable table = RegionTable.defaults();
        assertThat(new TreeSet<>(table.rules().keySet())).isEqualTo(new TreeSet<>(iso));
        for (String code : iso) {
            assertThat(table.regionOf(code)).as(code).isNotNull().isIn(table.regions());
        }
        // exactly once in the file itself (the loader also rejects duplicates)
        List<String> codesInFile = Files.readAllLines(CONFIG_FILE, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("country,"))
                .map(l -> l.substring(0, l.indexOf(',')))
                .collect(Collectors.toList());
        assertThat(codesInFile).doesNotHaveDuplicates().hasSameSizeAs(iso);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "US, USA", "CN, CHINA", "VN, ASEAN", "DE, EU", "MX, LATIN_AMERICA", "BR, LATIN_AMERICA",
        "JP, JAPAN", "IN, INDIA", "SA, MIDDLE_EAST", "AU, OCEANIA", "GB, EUROPE_OTHER", "RU, CIS",
        "HK, OTHER_ASIA", "MO, OTHER_ASIA", "TW, OTHER_ASIA", "MN, OTHER_ASIA", "KR, OTHER_ASIA",
        "PK, OTHER_ASIA", "TL, ASEAN", "SG, ASEAN", "CA, NORTH_AMERICA_OTHER", "GL, NORTH_AMERICA_OTHER",
        "BM, NORTH_AMERICA_OTHER", "PM, NORTH_AMERICA_OTHER", "CH, EUROPE_OTHER", "NO, EUROPE_OTHER",
        "TR, EUROPE_OTHER", "RS, EUROPE_OTHER", "UA, CIS", "BY, CIS", "MD, CIS", "KZ, CIS", "GE, CIS",
        "EG, AFRICA", "ZA, AFRICA", "AE, MIDDLE_EAST", "IL, MIDDLE_EAST", "CY, EU", "PL, EU",
        "PR, LATIN_AMERICA", "CU, LATIN_AMERICA", "PA, LATIN_AMERICA", "AR, LATIN_AMERICA",
        "GU, OCEANIA", "NZ, OCEANIA", "RE, AFRICA", "GF, LATIN_AMERICA", "AX, EU",
        "AQ, OTHER", "BV, OTHER", "UM, OTHER",
    })
    void countriesGetTheirRegion(String code, String region) {
        assertThat(RegionTable.defaults().regionOf(code)).isEqualTo(region);
    }

    @Test
    void membershipOfTheBlocs() {
        assertThat(codesOf("EU")).containsExactlyInAnyOrder(
                "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "AX");
        assertThat(codesOf("ASEAN")).containsExactlyInAnyOrder(
                "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL");
        assertThat(codesOf("CHINA")).containsExactly("CN");
        assertThat(codesOf("USA")).containsExactly("US");
        assertThat(codesOf("JAPAN")).containsExactly("JP");
        assertThat(codesOf("INDIA")).containsExactly("IN");
    }

    @Test
    void defaultRegions() {
        assertThat(RegionTable.defaults().regions()).containsExactlyInAnyOrder(
                "CHINA", "USA", "ASEAN", "EU", "JAPAN", "MIDDLE_EAST", "LATIN_AMERICA", "CIS", "INDIA",
                "OTHER_ASIA", "OCEANIA", "AFRICA", "NORTH_AMERICA_OTHER", "EUROPE_OTHER", "OTHER");
    }

    @Test
    void packagedDefaultsAreTheConfigFile() {
        assertThat(RegionTable.defaults().rules()).isEqualTo(RegionTable.load(CONFIG_FILE).rules());
        assertThat(RegionTable.defaults().source()).startsWith("classpath:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XK", "XX", "ZZ", "us", "Us", "USA", "U", "", "1A", "U$"})
    void unknownOrInvalidCodesAreOther(String code) {
        assertThat(RegionTable.defaults().regionOf(code)).isEqualTo("OTHER");
    }

    @Test
    void nullIsOther() {
        assertThat(RegionTable.defaults().regionOf(null)).isEqualTo("OTHER");
    }

    @Test
    void aSmallTableLeavesTheRestToOther() throws IOException {
        RegionTable table = RegionTable.load(write("small.csv", "country,region", "KR,HOME", "JP,NEAR"));
        assertThat(table.regionOf("KR")).isEqualTo("HOME");
        assertThat(table.regionOf("US")).isEqualTo("OTHER");
        assertThat(table.regions()).containsExactly("HOME", "NEAR", "OTHER");
    }

    @Test
    void otherMayBeUsedInTheTable() throws IOException {
        RegionTable table = RegionTable.load(write("o.csv", "country,region", "AQ,OTHER"));
        assertThat(table.regionOf("AQ")).isEqualTo("OTHER");
        assertThat(table.regions()).containsExactly("OTHER");
    }

    private static Set<String> codesOf(String region) {
        return RegionTable.defaults().rules().entrySet().stream()
                .filter(e -> e.getValue().equals(region))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }
}

package io.exportcounter.pipeline.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How {@link CategoryTable} and {@link RegionTable} read their CSV files and what they reject, with the
 * exact error messages: the shared format ({@link MemberTable}, {@link CsvTable}) on both tables, and each
 * table's own rules for its keys and members.
 */
class MemberTableTest {

    /** One of the tables, with a row it accepts. */
    record Table(String name, String header, String goodRow, Function<Path, MemberTable> loadFile,
            BiFunction<byte[], String, MemberTable> loadBytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Table CATEGORIES = new Table("categories", "prefix,category", "8542,SEMICONDUCTORS", CategoryTable::load,
            (bytes, source) -> CategoryTable.load(new ByteArrayInputStream(bytes), source));
    static final Table REGIONS = new Table("regions", "country,region", "JP,JAPAN", RegionTable::load,
            (bytes, source) -> RegionTable.load(new ByteArrayInputStream(bytes), source));

    static Stream<Table> tables() {
        return Stream.of(CATEGORIES, REGIONS);
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void commentsBlankLinesBomCrlfAndSpacesAreAccepted(Table table) {
        String[] row = table.goodRow().split(",");
        String text = "\uFEFF# a comment\r\n\r\n  # indented comment\r\n" + table.header().replace(",", " , ") + "\r\n "
                + row[0] + " , " + row[1] + " \r\n";
        MemberTable loaded = table.loadBytes().apply(text.getBytes(StandardCharsets.UTF_8), "stream.csv");
        assertThat(loaded.rules()).containsExactly(Map.entry(row[0], row[1]));
        assertThat(loaded.source()).isEqualTo("stream.csv");
    }

    static Stream<Arguments> badRows() {
        String upperCaseName = "\" must be an upper-case name matching [A-Z][A-Z0-9_]*";
        String twoLetters = "\" must be an ISO 3166-1 alpha-2 code: two upper-case letters";
        return Stream.of(
                // the format both share
                Stream.of(
                        arguments(CATEGORIES, "8703,AUTOMOBILES,X",
                                "expected 2 comma-separated fields (prefix,category) but found 3: \"8703,AUTOMOBILES,X\""),
                        arguments(REGIONS, "US,USA,extra",
                                "expected 2 comma-separated fields (country,region) but found 3: \"US,USA,extra\""),
                        arguments(CATEGORIES, "8703 AUTOMOBILES",
                                "expected 2 comma-separated fields (prefix,category) but found 1: \"8703 AUTOMOBILES\""),
                        arguments(REGIONS, "US USA", "expected 2 comma-separated fields (country,region) but found 1: \"US USA\""),
                        arguments(CATEGORIES, "8542,CHIPS", "prefix 8542 is listed twice (first on line 3)"),
                        arguments(REGIONS, "JP,NEAR", "country JP is listed twice (first on line 3)")),
                each(CATEGORIES, name -> "8703," + name, name -> "category \"" + name + upperCaseName,
                        "semiconductors", "Chips", "1CHIPS", "_CHIPS", "CHIPS-X", "CHIPS X", ""),
                each(REGIONS, name -> "US," + name, name -> "region \"" + name + upperCaseName,
                        "usa", "Usa", "9USA", "NORTH-AMERICA", ""),
                // the categories' own rules
                each(CATEGORIES, prefix -> prefix + ",X", prefix -> "prefix \"" + prefix + "\" must be digits only (an HS code prefix)",
                        "85a2", "-85", "8 5", "0x85"),
                Stream.of(
                        arguments(CATEGORIES, ",SEMICONDUCTORS", "the prefix is empty"),
                        arguments(CATEGORIES, "85423210101,B", "prefix 85423210101 has 11 digits; at most 10 are allowed"),
                        arguments(CATEGORIES, "99,OTHER",
                                "category OTHER is the fallback for codes no rule matches and cannot be assigned; remove the line")),
                // the regions' own rules
                each(REGIONS, code -> code + ",USA", code -> "country \"" + code + twoLetters, "us", "USA", "U", "", "U1"),
                each(REGIONS, code -> code + ",EUROPE_OTHER", code -> "country " + code + " is not a current ISO 3166-1 alpha-2 code",
                        "XK", "ZZ", "UK", "EU"))
                .flatMap(cases -> cases);
    }

    /** A case per value: the row made of it and the problem it is rejected with. */
    private static Stream<Arguments> each(Table table, UnaryOperator<String> row, UnaryOperator<String> problem, String... values) {
        return Stream.of(values).map(v -> arguments(table, row.apply(v), problem.apply(v)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badRows")
    void aBadRowIsRejectedNamingFileAndLine(Table table, String row, String problem) throws IOException {
        Path csv = write("rows.csv", "# comment", table.header(), table.goodRow(), "", row);
        assertThatThrownBy(() -> table.loadFile().apply(csv))
                .isInstanceOf(TableFormatException.class)
                .hasMessage(csv + ", line 5: " + problem)
                .satisfies(e -> assertThat(((TableFormatException) e).line()).isEqualTo(5))
                .satisfies(e -> assertThat(((TableFormatException) e).source()).isEqualTo(csv.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void aWrongOrMissingHeaderOrNoRowsIsRejected(Table table) throws IOException {
        Path noHeader = write("noheader.csv", "# comment", table.goodRow());
        assertThatThrownBy(() -> table.loadFile().apply(noHeader)).isInstanceOf(TableFormatException.class)
                .hasMessage(noHeader + ", line 2: expected the header \"" + table.header() + "\" but found \"" + table.goodRow() + "\"");
        Path wrongHeader = write("header.csv", "key,value", table.goodRow());
        assertThatThrownBy(() -> table.loadFile().apply(wrongHeader))
                .hasMessage(wrongHeader + ", line 1: expected the header \"" + table.header() + "\" but found \"key,value\"");
        Path empty = write("empty.csv", "# only comments");
        assertThatThrownBy(() -> table.loadFile().apply(empty)).isInstanceOf(TableFormatException.class)
                .hasMessage(empty + ": has no header line \"" + table.header() + "\" (empty file?)");
        Path headerOnly = write("headeronly.csv", table.header());
        assertThatThrownBy(() -> table.loadFile().apply(headerOnly))
                .hasMessage(headerOnly + ": has no rows after the header \"" + table.header() + "\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void aMissingFileIsNamed(Table table) {
        Path missing = dir.resolve("nowhere.csv");
        assertThatThrownBy(() -> table.loadFile().apply(missing))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nowhere.csv");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }
}

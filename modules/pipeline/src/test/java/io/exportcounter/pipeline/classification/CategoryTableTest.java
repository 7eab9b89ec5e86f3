package io.exportcounter.pipeline.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CategoryTableTest {

    /** The editable table at the project root, of which defaults() is the packaged copy. */
    static final Path CONFIG_FILE = Path.of("../../config/hs-categories.csv");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "8542321010, SEMICONDUCTORS",
        "8541100000, SEMICONDUCTORS",
        "8703231010, AUTOMOBILES",
        "8704, AUTOMOBILES",
        "8704219010, AUTOMOBILES",
        "8708, AUTO_PARTS",
        "8708999000, AUTO_PARTS",
        "890190, SHIPS",
        "8906909000, SHIPS",
        "2710121000, PETROLEUM_PRODUCTS",
        "7208, STEEL",
        "7308900000, STEEL",
        "3304991000, COSMETICS",
        "8471300000, COMPUTERS",
        "8479899090, GENERAL_MACHINERY",
        "8418, HOME_APPLIANCES",
        "8504, ELECTRICAL_EQUIPMENT",
        "8517, WIRELESS_DEVICES",
        "8517130000, WIRELESS_DEVICES",
        "3002, BIO_HEALTH",
        "3004909000, BIO_HEALTH",
        "9018, BIO_HEALTH",
        "9022, BIO_HEALTH",
        "9013, DISPLAYS",
        "8524, DISPLAYS",
        "0901, AGRI_FOOD",
        "0302, AGRI_FOOD",
        "2401, AGRI_FOOD",
        "2902, PETROCHEMICALS",
        "3901100000, PETROCHEMICALS",
        "6109, TEXTILES",
        "5004, TEXTILES",
        "6310, TEXTILES",
        "8507600000, SECONDARY_BATTERIES",
        "9999999999, OTHER",
        "2709000000, OTHER",
        "3001, OTHER",
        "3308, OTHER",
        "8907, OTHER",
        "9017, OTHER",
        "2501, OTHER",
    })
    void realCodesGetTheirItemGroup(String hsCode, String category) {
        assertThat(CategoryTable.defaults().categoryOf(hsCode)).isEqualTo(category);
    }

    @Test
    void defaultCategoriesAreTheMinistrysItemGroupsPlusOther() {
        assertThat(CategoryTable.defaults().categories()).containsExactlyInAnyOrder(
                "SEMICONDUCTORS", "AUTOMOBILES", "AUTO_PARTS", "SHIPS", "PETROLEUM_PRODUCTS", "STEEL",
                "SECONDARY_BATTERIES", "WIRELESS_DEVICES", "COMPUTERS", "COSMETICS", "DISPLAYS",
                "HOME_APPLIANCES", "TEXTILES", "GENERAL_MACHINERY", "PETROCHEMICALS", "BIO_HEALTH",
                "ELECTRICAL_EQUIPMENT", "AGRI_FOOD", "OTHER");
    }

    @Test
    void everyChapterOfARangeIsListed() {
        CategoryTable table = CategoryTable.defaults();
        for (int chapter = 1; chapter <= 24; chapter++) {
            assertThat(table.categoryOf(String.format("%02d01000000", chapter))).as("chapter %d", chapter)
                    .isEqualTo("AGRI_FOOD");
        }
        for (int chapter = 50; chapter <= 63; chapter++) {
            assertThat(table.categoryOf(chapter + "01000000")).as("chapter %d", chapter).isEqualTo("TEXTILES");
        }
        for (int heading = 8901; heading <= 8906; heading++) {
            assertThat(table.categoryOf(heading + "000000")).isEqualTo("SHIPS");
        }
    }

    @Test
    void packagedDefaultsAreTheConfigFile() {
        CategoryTable file = CategoryTable.load(CONFIG_FILE);
        assertThat(CategoryTable.defaults().rules()).isEqualTo(file.rules()).isNotEmpty();
        assertThat(CategoryTable.defaults().source()).startsWith("classpath:");
        assertThat(CategoryTable.defaults()).isSameAs(CategoryTable.defaults());
    }

    @Test
    void longestPrefixWinsWhateverTheOrderInTheFile() throws IOException {
        CategoryTable table = CategoryTable.load(write("t.csv",
                "prefix,category", "854232,MEMORY", "8,EIGHT", "85,CHAPTER_85", "8542,CHIPS"));
        assertThat(table.categoryOf("8542321010")).isEqualTo("MEMORY");
        assertThat(table.categoryOf("8542310000")).isEqualTo("CHIPS");
        assertThat(table.categoryOf("8504")).isEqualTo("CHAPTER_85");
        assertThat(table.categoryOf("8471")).isEqualTo("EIGHT");
        assertThat(table.categoryOf("7208")).isEqualTo("OTHER");
        // a code shorter than a rule does not match it
        assertThat(table.categoryOf("854")).isEqualTo("CHAPTER_85");
        assertThat(table.categories()).containsExactly("MEMORY", "EIGHT", "CHAPTER_85", "CHIPS", "OTHER");
    }

    @Test
    void aTenDigitRuleMatchesOnlyThatCode() throws IOException {
        CategoryTable table = CategoryTable.load(write("t.csv", "prefix,category", "8542321010,ONE_CODE"));
        assertThat(table.categoryOf("8542321010")).isEqualTo("ONE_CODE");
        assertThat(table.categoryOf("8542321011")).isEqualTo("OTHER");
        assertThat(table.categoryOf("854232101")).isEqualTo("OTHER");
    }

    @Test
    void oddInputIsOtherOrReadUpToTheFirstNonDigit() {
        CategoryTable table = CategoryTable.defaults();
        assertThat(table.categoryOf(null)).isEqualTo("OTHER");
        assertThat(table.categoryOf("")).isEqualTo("OTHER");
        assertThat(table.categoryOf("abc")).isEqualTo("OTHER");
        assertThat(table.categoryOf("8542.32.1010")).isEqualTo("SEMICONDUCTORS");
        assertThat(table.categoryOf("854232101099999")).isEqualTo("SEMICONDUCTORS");
    }

    @Test
    void commentsBlankLinesBomCrlfAndSpacesAreAccepted() {
        String text = "\uFEFF# a comment\r\n\r\n  # indented comment\r\nprefix , category\r\n 8542 , SEMICONDUCTORS \r\n";
        CategoryTable table = CategoryTable.load(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "stream.csv");
        assertThat(table.rules()).containsExactly(java.util.Map.entry("8542", "SEMICONDUCTORS"));
        assertThat(table.source()).isEqualTo("stream.csv");
    }

    @Test
    void malformedLineNamesFileAndLine() throws IOException {
        Path csv = write("bad.csv", "# comment", "prefix,category", "8542,SEMICONDUCTORS", "8703,AUTOMOBILES,X");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .isInstanceOf(TableFormatException.class)
                .hasMessageContaining("bad.csv")
                .hasMessageContaining("line 4")
                .hasMessageContaining("2 comma-separated fields")
                .satisfies(e -> assertThat(((TableFormatException) e).line()).isEqualTo(4));
    }

    @Test
    void lineWithoutCommaIsMalformed() throws IOException {
        Path csv = write("bad.csv", "prefix,category", "8542 SEMICONDUCTORS");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .hasMessageContaining("bad.csv, line 2:").hasMessageContaining("found 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"85a2", "-85", "8 5", "0x85"})
    void nonDigitPrefixIsRejected(String prefix) throws IOException {
        Path csv = write("digits.csv", "prefix,category", "85,ELECTRICAL_EQUIPMENT", prefix + ",X");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .isInstanceOf(TableFormatException.class)
                .hasMessageContaining("digits.csv, line 3:")
                .hasMessageContaining("digits only");
    }

    @Test
    void emptyPrefixIsRejected() throws IOException {
        Path csv = write("empty.csv", "prefix,category", ",SEMICONDUCTORS");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .hasMessageContaining("empty.csv, line 2:").hasMessageContaining("prefix is empty");
    }

    @Test
    void prefixLongerThanTenDigitsIsRejected() throws IOException {
        Path csv = write("long.csv", "prefix,category", "8542,A", "85423210101,B");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .hasMessageContaining("long.csv, line 3:").hasMessageContaining("at most 10");
    }

    @Test
    void duplicatePrefixIsRejectedNamingBothLines() throws IOException {
        Path csv = write("dup.csv", "prefix,category", "8542,SEMICONDUCTORS", "# x", "8542,CHIPS");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .hasMessageContaining("dup.csv, line 4:")
                .hasMessageContaining("8542 is listed twice (first on line 2)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"semiconductors", "Semiconductors", "1CHIPS", "_CHIPS", "CHIPS-X", "CHIPS X", ""})
    void badCategoryNameIsRejected(String category) throws IOException {
        Path csv = write("names.csv", "prefix,category", "8542," + category);
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .hasMessageContaining("names.csv, line 2:")
                .hasMessageContaining("[A-Z][A-Z0-9_]*");
    }

    @Test
    void otherCannotBeAssigned() throws IOException {
        Path csv = write("other.csv", "prefix,category", "99,OTHER");
        assertThatThrownBy(() -> CategoryTable.load(csv))
                .hasMessageContaining("other.csv, line 2:").hasMessageContaining("fallback");
    }

    @Test
    void wrongOrMissingHeaderIsRejected() throws IOException {
        Path noHeader = write("noheader.csv", "# comment", "8542,SEMICONDUCTORS");
        assertThatThrownBy(() -> CategoryTable.load(noHeader))
                .hasMessageContaining("noheader.csv, line 2:").hasMessageContaining("header \"prefix,category\"");
        Path empty = write("empty.csv", "# only comments");
        assertThatThrownBy(() -> CategoryTable.load(empty))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("empty.csv").hasMessageContaining("no header");
        Path headerOnly = write("headeronly.csv", "prefix,category");
        assertThatThrownBy(() -> CategoryTable.load(headerOnly))
                .hasMessageContaining("headeronly.csv").hasMessageContaining("no rows");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nowhere.csv");
        assertThatThrownBy(() -> CategoryTable.load(missing))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nowhere.csv");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), java.util.List.of(lines), StandardCharsets.UTF_8);
    }
}

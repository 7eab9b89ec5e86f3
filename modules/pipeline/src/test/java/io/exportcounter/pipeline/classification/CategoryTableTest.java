package io.exportcounter.pipeline.classification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        // a code shorter than a rule (854) does not match it
        assertThat(categoriesOf(table, "8542321010", "8542310000", "8504", "8471", "7208", "854"))
                .containsExactly("MEMORY", "CHIPS", "CHAPTER_85", "EIGHT", "OTHER", "CHAPTER_85");
        assertThat(table.categories()).containsExactly("MEMORY", "EIGHT", "CHAPTER_85", "CHIPS", "OTHER");
    }

    @Test
    void aTenDigitRuleMatchesOnlyThatCode() throws IOException {
        CategoryTable table = CategoryTable.load(write("t.csv", "prefix,category", "8542321010,ONE_CODE"));
        assertThat(categoriesOf(table, "8542321010", "8542321011", "854232101")).containsExactly("ONE_CODE", "OTHER", "OTHER");
    }

    @Test
    void oddInputIsOtherOrReadUpToTheFirstNonDigit() {
        assertThat(categoriesOf(CategoryTable.defaults(), null, "", "abc", "8542.32.1010", "854232101099999"))
                .containsExactly("OTHER", "OTHER", "OTHER", "SEMICONDUCTORS", "SEMICONDUCTORS");
    }

    private static List<String> categoriesOf(CategoryTable table, String... hsCodes) {
        return Arrays.stream(hsCodes).map(table::categoryOf).toList();
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }
}

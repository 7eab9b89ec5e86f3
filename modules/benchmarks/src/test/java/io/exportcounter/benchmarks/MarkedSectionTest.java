package io.exportcounter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkedSectionTest {
    private static final MarkedSection YEAR = new MarkedSection("<!-- year:begin -->", "<!-- year:end -->");

    @Test
    void aSectionIsRewrittenInPlaceAndTheRestOfThePageKept() {
        String page = "# Benchmarks\n\nintro\n\n<!-- year:begin -->\nold\n<!-- year:end -->\n\n## How it is measured\n";
        assertThat(YEAR.replace(page, "new table\n"))
                .isEqualTo("# Benchmarks\n\nintro\n\n<!-- year:begin -->\nnew table\n<!-- year:end -->\n\n## How it is measured\n");
        assertThat(YEAR.in(page)).hasValue("<!-- year:begin -->\nold\n<!-- year:end -->");
    }

    @Test
    void aPageWithoutTheSectionGetsItAtTheEnd() {
        assertThat(YEAR.replace("# Benchmarks\n", "table")).isEqualTo("# Benchmarks\n\n<!-- year:begin -->\ntable\n<!-- year:end -->\n");
        assertThat(YEAR.in("# Benchmarks\n<!-- year:end -->\n<!-- year:begin -->")).isEmpty();
    }
}

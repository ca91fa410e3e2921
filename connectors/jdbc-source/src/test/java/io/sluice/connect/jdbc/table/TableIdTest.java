package io.sluice.connect.jdbc.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableIdTest {

    @Test
    void parsesAndPrintsQualifiedNames() {
        assertThat(TableId.parse("public.items")).isEqualTo(new TableId("public", "items"));
        assertThat(TableId.parse("items")).isEqualTo(new TableId(null, "items"));
        assertThat(new TableId("public", "items")).hasToString("public.items");
    }

    @Test
    void matchesSimpleOrQualifiedListEntries() {
        TableId table = new TableId("public", "Items");
        assertThat(table.matches("items")).isTrue();
        assertThat(table.matches(" public.items ")).isTrue();
        assertThat(table.matches("other.items")).isFalse();
    }

    @Test
    void quotesIdentifiersEscapingTheQuote() {
        assertThat(new TableId("s", "we\"ird").quoted("\"")).isEqualTo("\"s\".\"we\"\"ird\"");
        assertThat(new TableId("db", "t").quoted("`")).isEqualTo("`db`.`t`");
    }

    @Test
    void listerAppliesIncludeThenExclude() {
        TableLister include = new TableLister(null, List.of("TABLE"), List.of("a", "s.b"), List.of());
        assertThat(include.selected(new TableId("s", "a"))).isTrue();
        assertThat(include.selected(new TableId("t", "b"))).isFalse();
        TableLister exclude = new TableLister(null, List.of("TABLE"), List.of(), List.of("a"));
        assertThat(exclude.selected(new TableId("s", "a"))).isFalse();
        assertThat(exclude.selected(new TableId("s", "c"))).isTrue();
    }
}

package org.tcpworkbook.edition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The markers that decide what the student edition leaves out: {@link EditionText#strip}. */
class EditionTextTest {

    @Test
    @DisplayName("ifndef blocks go, ifdef blocks stay without their directives, the rest is untouched")
    void stripsAndKeeps() {
        String text = String.join("\n",
                "= Lab 9",
                "ifndef::student-edition[]",
                ":lab9-solution: {solutions}/lab9",
                "endif::[]",
                "Do the task.",
                "ifndef::student-edition[]",
                "[%collapsible]",
                ".Reference solution (open after you have tried)",
                "====",
                "include::{lab9-solution}/A.java[tag=a]",
                "====",
                "endif::[]",
                "ifdef::student-edition[]",
                "Ask your instructor.",
                "endif::[]",
                "ifdef::env-github[]",
                "On GitHub.",
                "endif::[]",
                "ifndef::student-edition[Solutions inline.]",
                "ifdef::student-edition[Students inline.]",
                "The end.");
        assertThat(EditionText.strip(text, "lab9.adoc")).isEqualTo(String.join("\n",
                "= Lab 9",
                "Do the task.",
                "Ask your instructor.",
                "ifdef::env-github[]",
                "On GitHub.",
                "endif::[]",
                "Students inline.",
                "The end."));
    }

    @Test
    @DisplayName("another attribute's conditional inside a left-out block goes with it, its endif matched to it")
    void nestedConditionals() {
        String text = String.join("\n",
                "a",
                "ifndef::student-edition[]",
                "ifdef::env-github[]",
                "b",
                "endif::[]",
                "c",
                "endif::student-edition[]",
                "d");
        assertThat(EditionText.strip(text, "x.adoc")).isEqualTo("a\nd");
    }

    @Test
    @DisplayName("in a pom the markers are XML comments; line ends are kept as they were")
    void xmlComments() {
        String pom = "<project>\r\n  <!-- ifndef::student-edition[] -->\r\n  <profiles/>\r\n  <!-- endif::[] -->\r\n</project>\r\n";
        assertThat(EditionText.hasMarkers(pom)).isTrue();
        assertThat(EditionText.strip(pom, "pom.xml")).isEqualTo("<project>\r\n</project>\r\n");
        assertThat(EditionText.hasMarkers("<project/>\n")).isFalse();
    }

    @Test
    @DisplayName("markers that do not balance are an error naming the file and line: a half-stripped file never ships")
    void unbalanced() {
        assertThatThrownBy(() -> EditionText.strip("a\nifndef::student-edition[]\nb\n", "lab1.adoc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lab1.adoc:2: a conditional opened here is never closed (endif::[])");
        assertThatThrownBy(() -> EditionText.strip("a\nendif::[]\n", "lab1.adoc"))
                .hasMessage("lab1.adoc:2: endif::[] closes nothing");
        assertThatThrownBy(() -> EditionText.strip("ifdef::env-github[]\nb\nendif::student-edition[]\n", "lab1.adoc"))
                .hasMessageStartingWith("lab1.adoc:3: endif::student-edition[] closes the conditional opened at line 1, which is not on");
        assertThatThrownBy(() -> EditionText.strip("ifndef::student-edition,env-github[]\nb\nendif::[]\n", "lab1.adoc"))
                .hasMessageStartingWith("lab1.adoc:1: a conditional on student-edition must name it alone");
    }
}

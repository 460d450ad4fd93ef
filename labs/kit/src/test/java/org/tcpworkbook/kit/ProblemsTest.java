package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@DisplayName("Problems: every wrong case of a check at once")
class ProblemsTest {
    private static final Duration LIMIT = Duration.ofMillis(500);

    @Test
    @DisplayName("lists every failed case, without AssertJ's stack lines, then the notes")
    void listsEveryCase() {
        Problems problems = new Problems();
        problems.verify(() -> assertThat(1 + 1).as("adding").isEqualTo(2));
        problems.verify(() -> assertThat("a").as("first").isEqualTo("b"));
        problems.add("second went wrong");
        assertThatThrownBy(() -> problems.assertNone("(notes: lab9.html#x)"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("2 cases went wrong (notes: lab9.html#x):\n  - [first] \n    expected: \"b\"")
                .hasMessageEndingWith("\n  - second went wrong")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat ", "    at "));
    }

    @Test
    @DisplayName("passes when nothing went wrong")
    void passesWhenAllIsWell() {
        Problems problems = new Problems();
        problems.verify(() -> assertThat(true).isTrue());
        assertThatCode(() -> problems.assertNone("(notes)")).doesNotThrowAnyException();
        assertThat(problems.found()).isEmpty();
    }

    @Test
    @DisplayName("expectIllegalArgument notes a return, or an exception without a message")
    void expectsIllegalArgument() throws Exception {
        Problems problems = new Problems();
        problems.expectIllegalArgument("good(-1)", LIMIT, () -> {
            throw new IllegalArgumentException("-1 is negative");
        });
        problems.expectIllegalArgument("lenient(-1)", LIMIT, () -> 42);
        problems.expectIllegalArgument("mute(-1)", LIMIT, () -> {
            throw new IllegalArgumentException();
        });
        assertThat(problems.found()).containsExactly(
                "lenient(-1) returned 42; it must throw IllegalArgumentException",
                "the IllegalArgumentException of mute(-1) should say what is wrong");
    }

    @Test
    @DisplayName("expectIllegalArgument lets an unwritten task fail the check at once")
    void unwrittenCodeFailsAtOnce() {
        Problems problems = new Problems();
        assertThatThrownBy(() -> problems.expectIllegalArgument("todo(1)", LIMIT, () -> {
            throw new UnsupportedOperationException("Task 1: implement todo");
        })).isInstanceOf(AssertionFailedError.class).hasMessageContaining("Not implemented yet");
        assertThatThrownBy(() -> problems.expectIllegalArgument("wrong(1)", LIMIT, () -> {
            throw new IllegalStateException("not what was asked");
        })).isInstanceOf(IllegalStateException.class);
    }
}

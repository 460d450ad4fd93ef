package org.tcpworkbook.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The checker of the proof's control lab: the controls show the fixture mechanism on it (what a
 * survivor, a fixture rejected only sometimes, a misnamed check look like) in milliseconds, where
 * a real lab's checker takes seconds. Shaped as the labs' checkers are: nested tasks, tagged.
 */
@DisplayName("Control lab")
class ControlTest {

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: Greeter.greet")
    class Task1 {

        @Test
        @DisplayName("says hello before the name")
        void saysHello() {
            assertThat(Greeter.greet("Ada")).as("Greeter.greet(\"Ada\"): say hello, then the name").isEqualTo("hello Ada");
        }

        @Test
        @DisplayName("keeps the name as it is given")
        void keepsTheName() {
            assertThat(Greeter.greet("关闭")).as("Greeter.greet(\"关闭\"): the name as it is given").isEqualTo("hello 关闭");
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: Greeter.twice")
    class Task2 {

        @Test
        @DisplayName("doubles a number")
        void doubles() {
            assertThat(Greeter.twice(21)).as("Greeter.twice(21): twice the number").isEqualTo(42);
        }

        @Test
        @DisplayName("doubles a negative number")
        void doublesANegative() {
            assertThat(Greeter.twice(-3)).as("Greeter.twice(-3): twice the number").isEqualTo(-6);
        }
    }
}

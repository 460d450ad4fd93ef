package org.tcpworkbook.lab9;

import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A made-up checker for the kit's report tests (ProgressReportTest): its tasks are declared out of
 * order, its checks out of alphabetical order. Not a test of its own: surefire's includes
 * (Test*, *Test, *Tests, *TestCase) leave it out; the report tests launch it themselves.
 */
@DisplayName("Lab 9: the fixture")
public class Lab9Fixture {

    @Nested
    @Tag("task-10")
    @DisplayName("Task 10: ten")
    public class Task10 {
        @Test
        void passes() {
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: two")
    public class Task2 {
        @Test
        @DisplayName("zeta, written first")
        void zeta() {
            fail("expected 1\nbut was 2 (notes: lab9.html#two)");
        }

        @Test
        @DisplayName("alpha, written second")
        void alpha() {
        }

        @Test
        @DisplayName("mu, written third")
        void mu(org.junit.jupiter.api.TestInfo info) {
            fail("also wrong");
        }
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: one")
    public class Task1 {
        @Test
        void notWrittenYet() {
            UnsupportedOperationException skeleton = new UnsupportedOperationException("Task 1: implement A.b (notes: lab9.html#one)");
            throw new AssertionFailedError("Not implemented yet (calling A.b): " + skeleton.getMessage(), skeleton);
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: three")
    public class Task3 {
        @Test
        void needsTaskOne() {
            throw new UnsupportedOperationException("Task 1: implement A.b (notes: lab9.html#one)");
        }

        @Test
        void saysSoInItsOwnWords() {
            fail("client 1 waited 1000 ms for a line. Not implemented yet (running serve(), until close()):"
                    + " Task 1: implement A.b (notes: lab9.html#one)");
        }
    }
}

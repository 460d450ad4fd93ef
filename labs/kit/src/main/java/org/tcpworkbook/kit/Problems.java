package org.tcpworkbook.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Collects what went wrong across the cases of one check, so that a student sees every wrong case
 * at once: "3 cases went wrong: …". Code that is not written yet or that hangs still fails the
 * check at once, with its own message.
 */
public final class Problems {
    private final List<String> found = new ArrayList<>();

    /** Runs an assertion (AssertJ, say); if it fails, notes its message and goes on. */
    public Problems verify(Runnable assertion) {
        try {
            assertion.run();
        } catch (AssertionError e) {
            found.add(clean(e.getMessage()));
        }
        return this;
    }

    /** Notes a problem described in words. */
    public Problems add(String problem) {
        found.add(problem);
        return this;
    }

    /**
     * Calls the student's code, which must throw IllegalArgumentException with a message; notes a
     * problem if it returns instead, or throws one without a message.
     */
    public Problems expectIllegalArgument(String call, Duration limit, Callable<?> code) throws Exception {
        Object result;
        try {
            result = Student.call("calling " + call, limit, code);
        } catch (IllegalArgumentException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                found.add("the IllegalArgumentException of " + call + " should say what is wrong");
            }
            return this;
        }
        found.add(call + " returned " + result + "; it must throw IllegalArgumentException");
        return this;
    }

    /** The timeouts that are not positive: 0 (which a socket takes as "wait forever"), -1 ms and -1 ns. */
    public static final List<Duration> NOT_POSITIVE = List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(-1));

    /** A call of the student's code with one timeout. */
    @FunctionalInterface
    public interface WithTimeout {
        Object call(Duration timeout) throws Exception;
    }

    /** How one case is judged: the call named {@code call} must be refused (see {@link #expectIllegalArgument}). */
    @FunctionalInterface
    public interface Refusal {
        void expect(String call, Callable<?> code) throws Exception;
    }

    /**
     * Calls {@code code} with each timeout that is {@linkplain #NOT_POSITIVE not positive}: each must
     * throw IllegalArgumentException with a message. {@code call} names the call for a timeout as the
     * student reads it, e.g. {@code t -> "Requests.ask(server, \"hi\", " + t + ")"}.
     */
    public Problems expectEachNotPositiveTimeoutRefused(java.util.function.Function<Duration, String> call, Duration limit,
                                                        WithTimeout code) throws Exception {
        return expectEachNotPositiveTimeoutRefused(call, code, (name, c) -> expectIllegalArgument(name, limit, c));
    }

    /** The same, each case judged by {@code refusal} (one that also counts the sockets left open, say). */
    public Problems expectEachNotPositiveTimeoutRefused(java.util.function.Function<Duration, String> call, WithTimeout code,
                                                        Refusal refusal) throws Exception {
        for (Duration timeout : NOT_POSITIVE) {
            refusal.expect(call.apply(timeout), () -> code.call(timeout));
        }
        return this;
    }

    public List<String> found() {
        return List.copyOf(found);
    }

    /** Fails the check with every problem noted, followed by where the notes explain it. */
    public void assertNone(String notes) {
        if (found.isEmpty()) {
            return;
        }
        String head = found.size() == 1 ? "1 case went wrong " : found.size() + " cases went wrong ";
        throw new AssertionFailedError(head + notes + ":"
                + found.stream().collect(Collectors.joining("\n  - ", "\n  - ", "")));
    }

    /** AssertJ's message without its "at …" lines, indented to sit in a list. */
    private static String clean(String message) {
        if (message == null) {
            return "(an assertion failed without a message)";
        }
        return message.strip().lines().filter(l -> !l.strip().startsWith("at "))
                .collect(Collectors.joining("\n    "));
    }
}

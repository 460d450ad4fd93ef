package org.tcpworkbook.kit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * A client for checking a student's server: connects from loopback, sends lines shaped by a
 * {@link Policy}, reads replies with bounded waits, and reports how the connection ended. Obtain
 * one from {@link ReferenceClients} (which closes it after the check) or {@link #connect}.
 */
public final class ReferenceClient implements AutoCloseable {
    private final Wire wire;
    private final Transcript transcript;
    private final String who;
    private Outcome outcome = Outcome.OPEN;

    private ReferenceClient(Wire wire, Transcript transcript, String who) {
        this.wire = wire;
        this.transcript = transcript;
        this.who = who;
    }

    /** A connect attempt: the client when it connected ({@link Outcome#OPEN}), else why not. */
    record Attempt(Outcome outcome, ReferenceClient client) { }

    /** Tries to connect to {@code target} within {@code timeout}, from the given local port (0: any). */
    static Attempt attempt(InetSocketAddress target, Policy policy, Duration timeout, int localPort,
            Transcript transcript, String who) throws IOException {
        Socket socket = new Socket();
        try {
            if (localPort != 0) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
            }
            socket.connect(target, (int) timeout.toMillis());
        } catch (ConnectException e) {
            socket.close();
            transcript.record(who, "connect to " + ReferenceServer.describe(target) + " refused");
            return new Attempt(Outcome.REFUSED, null);
        } catch (SocketTimeoutException e) {
            socket.close();
            transcript.record(who, "connect to " + ReferenceServer.describe(target) + " timed out after "
                    + timeout.toMillis() + " ms");
            return new Attempt(Outcome.TIMED_OUT, null);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        transcript.record(who, "connected from port " + socket.getLocalPort() + " to "
                + ReferenceServer.describe(target) + (policy == Policy.NORMAL ? "" : ", policy " + policy));
        return new Attempt(Outcome.OPEN, new ReferenceClient(new Wire(socket, policy, transcript, who), transcript, who));
    }

    /**
     * Connects to {@code target} within {@code timeout}, from the given local port (0: any). Fails
     * the check with a message naming the address when the connect is refused or times out.
     */
    public static ReferenceClient connect(InetSocketAddress target, Policy policy, Duration timeout,
            int localPort, Transcript transcript, String who) throws IOException {
        Attempt attempt = attempt(target, policy, timeout, localPort, transcript, who);
        switch (attempt.outcome()) {
            case REFUSED -> throw new AssertionFailedError("The reference client could not connect to your server at "
                    + ReferenceServer.describe(target) + ": connection refused. Is it listening there?");
            case TIMED_OUT -> throw new AssertionFailedError("The reference client's connect to your server at "
                    + ReferenceServer.describe(target) + " did not complete within " + timeout.toMillis()
                    + " ms. Is its backlog full because it never accepts?");
            default -> {
                return attempt.client();
            }
        }
    }

    /** Tries to connect and closes at once: REACHABLE is {@link Outcome#OPEN}. Never fails the check. */
    public static Outcome probe(InetSocketAddress target, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) timeout.toMillis());
            return Outcome.OPEN;
        } catch (ConnectException e) {
            return Outcome.REFUSED;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMED_OUT;
        }
    }

    public int localPort() {
        return wire.socket().getLocalPort();
    }

    /** Sends each text as a line ({@code \n} appended, UTF-8), as one send shaped by the policy. */
    public ReferenceClient send(String... lines) throws IOException, InterruptedException {
        List<byte[]> messages = new ArrayList<>();
        for (String line : lines) {
            messages.add(Wire.line(line));
        }
        return sendAll(messages);
    }

    /** Sends raw bytes (no line end added), shaped by the policy. */
    public ReferenceClient sendBytes(byte[] bytes) throws IOException, InterruptedException {
        return sendAll(List.of(bytes.clone()));
    }

    private ReferenceClient sendAll(List<byte[]> messages) throws IOException, InterruptedException {
        wire.write(messages);
        if (wire.endingDue()) {
            wire.end();
        }
        return this;
    }

    /**
     * The next line from the server, without its {@code \n}. Fails the check when none arrives within
     * {@code timeout}, when the server closes first, or when it resets, saying what did arrive.
     */
    public String readLine(Duration timeout) throws IOException {
        try {
            String line = wire.readLine(timeout);
            if (line != null) {
                return line;
            }
            outcome = Outcome.EOF;
            throw new AssertionFailedError(who + " expected a line from your server, but your server closed"
                    + " the connection (read returned -1)" + leftover() + ".");
        } catch (SocketTimeoutException e) {
            throw new AssertionFailedError(who + " waited " + timeout.toMillis()
                    + " ms for a line from your server, but no whole line arrived" + leftover() + ".");
        } catch (SocketException e) {
            outcome = Outcome.RESET;
            throw new AssertionFailedError(who + " expected a line from your server, but the connection was"
                    + " reset (" + e.getMessage() + ")" + leftover() + ".");
        }
    }

    private String leftover() {
        byte[] partial = wire.unterminated();
        return partial.length == 0 ? ""
                : "; it did receive " + Transcript.describe(partial) + " with no line end";
    }

    /**
     * Waits until the server ends the connection, reading (and recording) anything it still sends:
     * {@link Outcome#EOF} or {@link Outcome#RESET}, or {@link Outcome#OPEN} if it did not end in time.
     */
    public Outcome awaitEnd(Duration timeout) throws IOException {
        try {
            if (wire.drainUntilEnd(timeout)) {
                outcome = Outcome.EOF;
            }
        } catch (SocketException e) {
            transcript.record(who, "connection reset: " + e.getMessage());
            outcome = Outcome.RESET;
        }
        return outcome;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Shuts down output (FIN): the server reads -1 but may still answer. */
    public void halfClose() throws IOException {
        transcript.record(who, "shuts down its output (FIN), keeps reading");
        wire.socket().shutdownOutput();
    }

    /** Resets the connection (RST). */
    public void reset() throws IOException {
        transcript.record(who, "resets the connection (RST)");
        wire.socket().setSoLinger(true, 0);
        wire.socket().close();
    }

    public boolean isClosed() {
        return wire.socket().isClosed();
    }

    @Override
    public void close() throws IOException {
        if (!wire.socket().isClosed()) {
            transcript.record(who, "closes the connection (FIN)");
            wire.socket().close();
        }
    }
}

package org.tcpworkbook.kit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One end of a connection as a reference peer drives it: writes shaped by a {@link Policy}, reads
 * line by line with its own buffer (so a timeout never loses a partial line), and every byte
 * recorded in the {@link Transcript}. Shared by {@link ReferenceServer} and {@link ReferenceClient}.
 */
final class Wire {
    private final Socket socket;
    private final Policy policy;
    private final Transcript transcript;
    private final String who;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];
    private int writes;
    private boolean inputEnded;

    Wire(Socket socket, Policy policy, Transcript transcript, String who) throws IOException {
        this.socket = socket;
        this.policy = policy;
        this.transcript = transcript;
        this.who = who;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /**
     * Splits messages into the writes the policy asks for: all in one write when coalescing, each
     * write cut into {@code fragment}-byte pieces (cutting through multi-byte characters too).
     */
    static List<byte[]> plan(List<byte[]> messages, Policy policy) {
        List<byte[]> writes = new ArrayList<>();
        if (policy.coalesce()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            messages.forEach(all::writeBytes);
            writes.add(all.toByteArray());
        } else {
            writes.addAll(messages);
        }
        if (policy.fragment() == 0) {
            return writes;
        }
        List<byte[]> pieces = new ArrayList<>();
        for (byte[] write : writes) {
            for (int from = 0; from < write.length; from += policy.fragment()) {
                pieces.add(Arrays.copyOfRange(write, from, Math.min(write.length, from + policy.fragment())));
            }
        }
        return pieces;
    }

    static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes one reply or one send: delay first, then the planned writes, each flushed. */
    void write(List<byte[]> messages) throws IOException, InterruptedException {
        if (!policy.delay().isZero()) {
            Thread.sleep(policy.delay().toMillis());
        }
        List<byte[]> pieces = plan(messages, policy);
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0 && policy.fragment() > 0) {
                Thread.sleep(Policy.FRAGMENT_PAUSE.toMillis());
            }
            byte[] piece = pieces.get(i);
            // Recorded first, so that the transcript never lags behind what the other side has seen.
            transcript.recordBytes(who, "sent", piece, 0, piece.length);
            out.write(piece);
            out.flush();
        }
        writes++;
    }

    /** Whether the policy's ending is due now, after this many replies or sends. */
    boolean endingDue() {
        return policy.ending() != Policy.Ending.KEEP_OPEN && policy.ending() != Policy.Ending.STALL
                && writes >= policy.after();
    }

    /** Performs the policy's ending (close, reset or half-close). */
    void end() throws IOException {
        switch (policy.ending()) {
            case CLOSE -> {
                transcript.record(who, "closes the connection (FIN)");
                socket.close();
            }
            case RESET -> {
                transcript.record(who, "resets the connection (RST)");
                socket.setSoLinger(true, 0);
                socket.close();
            }
            case HALF_CLOSE -> {
                transcript.record(who, "shuts down its output (FIN), keeps reading");
                socket.shutdownOutput();
            }
            default -> throw new IllegalStateException("no ending to perform: " + policy.ending());
        }
    }

    /**
     * The next line without its {@code \n}, decoded as UTF-8; {@code null} at end of stream (a last
     * unterminated line is recorded, not returned). Throws {@link SocketTimeoutException} when no
     * whole line arrives within {@code timeout}; what did arrive stays buffered.
     */
    String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] bytes = pending.toByteArray();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    pending.reset();
                    pending.write(bytes, i + 1, bytes.length - i - 1);
                    if (i > 0 && bytes[i - 1] == '\r') {
                        transcript.record(who, "notes that this line ended with \\r\\n, not \\n: println on a socket"
                                + " sends the platform's line separator, \\r\\n on Windows (the \\r stays in the line)");
                    }
                    return new String(bytes, 0, i, StandardCharsets.UTF_8);
                }
            }
            if (inputEnded) {
                return null;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no whole line within " + timeout.toMillis() + " ms");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
            int n = in.read(buffer);
            if (n < 0) {
                inputEnded = true;
                transcript.record(who, "read end of stream (-1): the other side closed its output");
                if (pending.size() > 0) {
                    byte[] rest = pending.toByteArray();
                    transcript.recordBytes(who, "was left with an unterminated line:", rest, 0, rest.length);
                }
                return null;
            }
            transcript.recordBytes(who, "received", buffer, 0, n);
            pending.write(buffer, 0, n);
        }
    }

    /** Bytes received but not yet returned as a line. */
    byte[] unterminated() {
        return pending.toByteArray();
    }

    /** Reads and records whatever arrives until end of stream or {@code timeout}; true at end of stream. */
    boolean drainUntilEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!inputEnded) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    inputEnded = true;
                    transcript.record(who, "read end of stream (-1): the other side closed its output");
                } else {
                    transcript.recordBytes(who, "received", buffer, 0, n);
                    pending.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return true;
    }
}

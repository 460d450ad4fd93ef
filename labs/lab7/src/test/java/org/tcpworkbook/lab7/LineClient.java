package org.tcpworkbook.lab7;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Transcript;

/**
 * The checker's client of the echo server: a plain blocking socket on loopback, every read bounded.
 * Light enough for thousands at once (no thread of its own), and it reads raw bytes, so it sees
 * exactly what the server wrote, line ends included.
 */
final class LineClient implements Closeable {
    static final Duration CONNECT = Duration.ofSeconds(2);
    /** A wait for bytes is cut into slices this long, and the server asked between them whether it still serves. */
    static final Duration SLICE = Duration.ofMillis(50);

    /** The server's {@link LineEchoServer#failIfEnded}: fails, naming the cause, when it no longer serves. */
    @FunctionalInterface
    interface Ended {
        void check() throws Exception;
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16384];
    private int position;
    private int end;
    private final String name;
    private final Ended ended;

    private LineClient(Socket socket, String name, Ended ended) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.name = name;
        this.ended = ended;
    }

    /**
     * A client of the server on {@code port}; while it waits for a line, it asks {@code ended} every
     * {@link #SLICE} whether the server still serves, so a serve() that ended (a skeleton's "Not
     * implemented yet", an exception) fails the check at once, with its cause, not after the wait.
     */
    static LineClient connect(int port, String name, Ended ended) throws IOException {
        return connect(port, name, 0, ended);
    }

    /** With {@code receiveBuffer} > 0: that small a receive buffer, set before connecting (a slow reader's window). */
    static LineClient connect(int port, String name, int receiveBuffer, Ended ended) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) CONNECT.toMillis());
            return new LineClient(socket, name, ended);
        } catch (IOException e) {
            socket.close();
            throw new IOException(name + " could not connect to the server on port " + port + " within "
                    + CONNECT.toSeconds() + " s: " + e, e);
        }
    }

    String name() {
        return name;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The next line's bytes as UTF-8, without its \n; fails with {@code what} when no whole line
     * comes within {@code wait}, or the stream ends first.
     */
    String readLine(Duration wait, String what) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            for (int i = position; i < end; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, position, i - position);
                    position = i + 1;
                    return line.toString(StandardCharsets.UTF_8);
                }
            }
            line.write(buffer, position, end - position);
            position = end;
            int n = fill(deadline, what, line);
            if (n < 0) {
                checkEnded();
                throw new AssertionFailedError(what + ": " + name + " got the end of the stream instead of a line"
                        + (line.size() == 0 ? "" : " (after \"" + shown(line) + "\" without \\n)") + ".");
            }
        }
    }

    /** Expects the end of the stream (the server closed) within {@code wait}; fails on a line or a timeout. */
    void expectEnd(Duration wait, String what) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        extra.write(buffer, position, end - position);
        position = end;
        while (true) {
            int n;
            try {
                n = fill(deadline, what, extra);
            } catch (SocketException e) {
                return;                                     // reset: ended too
            }
            if (n < 0) {
                if (extra.size() > 0) {
                    throw new AssertionFailedError(what + ": " + name + " got \"" + shown(extra)
                            + "\" before the end of the stream, and expected nothing more.");
                }
                return;
            }
        }
    }

    private int fill(long deadline, String what, ByteArrayOutputStream sofar) throws IOException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                checkEnded();
                throw timeout(what, sofar);
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(left, SLICE.toNanos()) / 1_000_000));
            try {
                int n = in.read(buffer, 0, buffer.length);
                position = 0;
                end = Math.max(n, 0);
                return n;
            } catch (SocketTimeoutException e) {
                checkEnded();                               // nothing yet: is anyone still serving?
            } catch (SocketException e) {
                checkEnded();
                throw e;
            }
        }
    }

    private void checkEnded() throws IOException {
        try {
            ended.check();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private AssertionFailedError timeout(String what, ByteArrayOutputStream sofar) {
        return new AssertionFailedError(what + ": " + name + " waited and got nothing more"
                + (sofar.size() == 0 ? "" : " than \"" + shown(sofar) + "\" (no \\n)") + ".");
    }

    private static String shown(ByteArrayOutputStream bytes) {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return Transcript.escape(s.length() > 80 ? s.substring(0, 80) + "…" : s);
    }

    /** Closes with a reset (SO_LINGER 0): the server's next read or write fails. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

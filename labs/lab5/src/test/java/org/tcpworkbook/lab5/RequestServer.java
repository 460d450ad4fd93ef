package org.tcpworkbook.lab5;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tcpworkbook.kit.Transcript;

/**
 * A one-connection request/response server for Requests.ask, where the kit's ReferenceServer cannot
 * say enough: it keeps the request's bytes exactly as they arrived (a last line without its line end
 * included), and it can break off in the middle of its response, by stalling or by a reset. It reads
 * the request up to -1 (bounded), then sends {@code first}, then does what its {@link End} says.
 */
final class RequestServer implements AutoCloseable {
    /** What the server does after sending the first part of its response. */
    enum End {
        /** Closes normally (FIN): the response is complete. */
        CLOSE,
        /** Neither sends nor closes any more: the client's read timeout must fire. */
        STALL,
        /** Resets the connection (RST): the client's read throws "Connection reset". */
        RESET
    }

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Thread thread;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Transcript transcript;
    private volatile byte[] request;
    private volatile boolean readEnd;
    private volatile Socket socket;

    RequestServer(Transcript transcript, byte[] first, End end) throws IOException {
        this.transcript = transcript;
        transcript.note("server", "listening on " + show(address()) + "; reads the request up to -1, sends "
                + Transcript.describe(first) + (end == End.CLOSE ? ", then closes" : end == End.STALL
                ? ", then stalls (sends nothing more, closes nothing)" : ", then resets the connection (RST)"));
        this.thread = new Thread(() -> serve(first, end), "lab5-request-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    private static String show(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private void serve(byte[] first, End end) {
        try (Socket s = listener.accept()) {
            socket = s;
            s.setSoTimeout((int) LIMIT.toMillis());
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    transcript.recordBytes("server", "received", buffer, 0, n);
                    got.write(buffer, 0, n);
                }
                readEnd = true;
                transcript.record("server", "read -1: the request is complete");
            } finally {
                request = got.toByteArray();
                requested.countDown();
            }
            OutputStream out = s.getOutputStream();
            transcript.recordBytes("server", "sent", first, 0, first.length);
            out.write(first);
            out.flush();
            switch (end) {
                case CLOSE -> transcript.record("server", "closes the connection (FIN)");
                case STALL -> {
                    transcript.record("server", "stalls: sends nothing more");
                    closing.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                }
                case RESET -> {
                    transcript.record("server", "resets the connection (RST)");
                    s.setSoLinger(true, 0);
                }
            }
        } catch (SocketException e) {
            // closed by close(), or the client went away: the check says what it saw
        } catch (IOException e) {
            transcript.record("server", "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request's bytes as they arrived, once the server read -1 (or gave up); null if none came in time. */
    byte[] request(Duration timeout) throws InterruptedException {
        requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return request;
    }

    /** Whether the server read the end of the request (-1). */
    boolean readEnd() {
        return readEnd;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closing.countDown();
        listener.close();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        thread.join(LIMIT.toMillis());
    }
}

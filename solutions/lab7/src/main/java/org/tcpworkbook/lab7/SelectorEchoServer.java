package org.tcpworkbook.lab7;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * The line echo server on one thread: a {@link Selector} tells which connections can be read or
 * written without blocking, and each connection keeps what it has read and what it must still
 * write in buffers of its own.
 */
public final class SelectorEchoServer implements Closeable {
    static final int MAX = ChatProtocol.MAX_LINE_BYTES;
    /** Answers waiting for a slow reader: past this, the server stops reading that client. */
    static final int OUT_LIMIT = 8 * 1024;
    private static final byte[] TOO_LONG = (ChatProtocol.LINE_TOO_LONG + "\n").getBytes(ChatProtocol.CHARSET);
    private static final byte[] NOT_UTF8 = (ChatProtocol.NOT_UTF8 + "\n").getBytes(ChatProtocol.CHARSET);

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final CharsetDecoder decoder = ChatProtocol.CHARSET.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile int connections;

    // tag::connection[]
    /** One client's state: the selector thread alone touches it. */
    private static final class Connection {
        final SocketChannel channel;
        /** Bytes read and not yet cut into lines (write mode): a line, its \r and \n at most. */
        final ByteBuffer in = ByteBuffer.allocate(MAX + 2);
        /** Answers not yet written (write mode). */
        final ByteBuffer out = ByteBuffer.allocate(OUT_LIMIT + MAX + 2 + 256);
        /** The client ended its stream or broke the protocol: close once out is written. */
        boolean closing;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }
    // end::connection[]

    /** A server for the clients that connect to {@code listener} (bound already); made non-blocking here. */
    public SelectorEchoServer(ServerSocketChannel listener) throws IOException {
        this.listener = listener;
        this.selector = Selector.open();
        try {
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /** Serves every client on the calling thread until {@link #close()}. */
    // tag::loop[]
    public void serve() throws IOException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("serve() runs once");
        }
        try {
            while (!closed) {
                selector.select();                          // blocks until a channel is ready
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();                         // else it is reported again
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        handle(key);
                    }
                }
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            selector.close();
            connections = 0;
            stopped.countDown();
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {    // every connection waiting, then back to select
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Connection(channel));
            connections++;
        }
    }

    private void handle(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                int n = c.channel.read(c.in);
                if (n < 0) {
                    c.closing = true;                       // the client is done: answer what came, then close
                } else {
                    cutLines(c);
                }
            }
            flush(key, c);
        } catch (IOException e) {
            drop(key);                                      // reset, broken pipe: this client only
        }
    }
    // end::loop[]

    // tag::lines[]
    /** Answers every whole line in {@code c.in}, keeps the rest (compacted to the front) for later reads. */
    private void cutLines(Connection c) {
        byte[] bytes = c.in.array();
        int end = c.in.position();
        int start = 0;
        for (int i = 0; i < end && !c.closing; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            int length = i - start;
            if (length > 0 && bytes[i - 1] == '\r') {
                length--;                                   // one \r before \n is dropped
            }
            answer(c, bytes, start, length);
            start = i + 1;
        }
        int pending = end - start;
        boolean carriageReturnLast = pending > 0 && bytes[end - 1] == '\r';
        if (!c.closing && pending - (carriageReturnLast ? 1 : 0) > MAX) {
            c.out.put(TOO_LONG);                            // more than MAX bytes and no \n yet
            c.closing = true;
        }
        c.in.limit(end).position(start);
        c.in.compact();                                     // the partial line moves to the front
    }

    private void answer(Connection c, byte[] bytes, int start, int length) {
        if (length > MAX) {
            c.out.put(TOO_LONG);
            c.closing = true;
            return;
        }
        try {
            decoder.reset().decode(ByteBuffer.wrap(bytes, start, length));
        } catch (CharacterCodingException e) {
            c.out.put(NOT_UTF8);
            c.closing = true;
            return;
        }
        c.out.put(bytes, start, length).put((byte) '\n');
    }
    // end::lines[]

    // tag::flush[]
    /** Writes what the socket takes now; asks for OP_WRITE only while answers are left over. */
    private void flush(SelectionKey key, Connection c) throws IOException {
        c.out.flip();
        c.channel.write(c.out);                             // may write only part of it
        c.out.compact();
        boolean pending = c.out.position() > 0;
        if (c.closing && !pending) {
            drop(key);
            return;
        }
        int interest = 0;
        if (pending) {
            interest |= SelectionKey.OP_WRITE;              // tell me when the socket has room again
        }
        if (!c.closing && c.out.position() < OUT_LIMIT) {
            interest |= SelectionKey.OP_READ;               // a reader this slow is not read further
        }
        key.interestOps(interest);
    }
    // end::flush[]

    private void drop(SelectionKey key) {
        closeQuietly(key);
        connections--;
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** How many clients are connected right now. */
    public int connections() {
        return connections;
    }

    /** Stops: serve() returns, the listener and every client's channel are closed (waits up to 5 s). */
    @Override
    public void close() throws IOException {
        closed = true;
        if (started.compareAndSet(false, true)) {           // serve() never ran: nothing else closes them
            selector.close();
            listener.close();
            return;
        }
        selector.wakeup();
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                throw new IOException("serve() did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            listener.close();
        }
    }
}

package org.tcpworkbook.lab2;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.tcpworkbook.chat.ChatProtocol;

/** The client side of the chat protocol: one connection, one line at a time. */
public final class ChatClient implements Closeable {
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;

    private ChatClient(Socket socket) throws IOException {
        this.socket = socket;
        // tag::streams[]
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ChatProtocol.CHARSET));
        this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), ChatProtocol.CHARSET));
        // end::streams[]
    }

    // tag::connect[]
    /**
     * Connects to {@code server}, giving up after {@code connectTimeout}; every later
     * {@link #receive()} waits at most {@code readTimeout}.
     *
     * @throws java.net.ConnectException       if nothing listens there
     * @throws java.net.SocketTimeoutException if the connect does not complete in time
     * @throws IllegalArgumentException        if a timeout is not positive (0 would mean "forever")
     */
    public static ChatClient connect(InetSocketAddress server, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        int connectMillis = millis(connectTimeout);
        int readMillis = millis(readTimeout);
        Socket socket = new Socket();                        // 1. create the socket
        try {
            socket.connect(server, connectMillis);           // 2. connect, bounded
            socket.setSoTimeout(readMillis);                 //    every read bounded too
            return new ChatClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();                                  //    a failed connect still holds a socket
            throw e;
        }
    }
    // end::connect[]

    private static int millis(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            throw new IllegalArgumentException("a timeout must be positive and under 24 days, not " + timeout);
        }
        long millis = timeout.toMillis();                    // whole milliseconds, rounded down
        return (int) (timeout.equals(Duration.ofMillis(millis)) ? millis : millis + 1); // 0.5 ms: 1, never 0
    }

    // tag::send[]
    /**
     * Sends one message: its UTF-8 bytes and a {@code \n}, flushed at once.
     *
     * @throws IllegalArgumentException if the message holds a line break (it would become two)
     */
    public void send(String message) throws IOException {
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a message is one line; this one has a line break");
        }
        out.write(message);                                  // 3. send: the bytes, named charset
        out.write('\n');                                     //    the end of the message
        out.flush();                                         //    and out they go, now
    }
    // end::send[]

    // tag::receive[]
    /**
     * The next message from the server, without its line end; {@code null} once the server has
     * closed the connection.
     *
     * @throws java.net.SocketTimeoutException if no whole line arrives within the read timeout
     */
    public String receive() throws IOException {
        // 4. receive: readLine gathers bytes until '\n' however the reads split them, keeps what
        //    follows for the next call, and decodes multi-byte characters across reads.
        return in.readLine();
    }
    // end::receive[]

    // tag::close[]
    /** Closes the connection: the server reads end of stream (-1). */
    @Override
    public void close() throws IOException {
        socket.close();                                      // 5. close
    }
    // end::close[]
}

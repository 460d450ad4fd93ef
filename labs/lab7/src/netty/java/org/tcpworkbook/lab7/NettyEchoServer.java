package org.tcpworkbook.lab7;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * The epilogue: the same line echo in Netty, what professionals use. The selector loop, the
 * buffers, partial writes and OP_WRITE are Netty's; the handler sees whole lines. (Lines that are
 * not UTF-8 are echoed as they are: this is the benchmark's anchor, not a checked solution.)
 */
public final class NettyEchoServer implements Closeable {
    private final EventLoopGroup group;
    private final Channel channel;

    // tag::netty[]
    public NettyEchoServer(int port, int threads) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new LineBasedFrameDecoder(ChatProtocol.MAX_LINE_BYTES, true, true),  // \n or \r\n
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
                                        ctx.write(line.retain());
                                        ctx.write(ctx.alloc().buffer(1).writeByte('\n'));
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush();                    // one write for all the lines of a read
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        if (cause instanceof TooLongFrameException) {
                                            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(
                                                    (ChatProtocol.LINE_TOO_LONG + "\n").getBytes(ChatProtocol.CHARSET)))
                                                    .addListener(f -> ctx.close());
                                        } else {
                                            ctx.close();
                                        }
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
    }
    // end::netty[]

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}

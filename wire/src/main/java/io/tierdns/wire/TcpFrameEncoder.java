package io.tierdns.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a DNS message with its two-byte length prefix into one buffer (one write per response
 * rather than a prefix buffer plus a body buffer).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.2.2">RFC 1035 §4.2.2</a>
 */
@Sharable
final class TcpFrameEncoder extends MessageToByteEncoder<byte[]> {

  TcpFrameEncoder() {
    super(byte[].class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, byte[] msg, boolean preferDirect) {
    return ctx.alloc().ioBuffer(2 + msg.length);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, byte[] msg, ByteBuf out) {
    if (msg.length > WireOptions.MAX_MESSAGE) {
      throw new EncoderException("DNS message of " + msg.length + " bytes exceeds 65535");
    }
    out.writeShort(msg.length);
    out.writeBytes(msg);
  }
}

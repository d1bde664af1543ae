package io.nurtureflow.lead;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.Objects;

/**
 * Text from bytes that refuses bytes its charset does not have, saying on which line they are.
 * {@link java.io.InputStreamReader} would put U+FFFD in their place and read on, so a
 * Windows-1252 {@code Müller} would be stored as {@code M�ller}. The characters before the bad
 * bytes are handed out first, so that a reader working through lines gets every line before them.
 */
final class StrictTextReader extends Reader {

	private final InputStream source;

	private final CharsetDecoder decoder;

	private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();

	/** Characters decoded and not yet handed out. */
	private final CharBuffer decoded = CharBuffer.allocate(8192).flip();

	private boolean endOfInput;

	private boolean done;

	/** The line the next character is on, counting from 1. */
	private long line = 1;

	StrictTextReader(InputStream source, Charset charset) {
		this.source = source;
		this.decoder = charset.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
	}

	@Override
	public int read(char[] target, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, target.length);
		if (length == 0) {
			return 0;
		}
		if (!this.decoded.hasRemaining()) {
			decodeMore();
		}
		int count = Math.min(length, this.decoded.remaining());
		this.decoded.get(target, offset, count);
		countLines(target, offset, count);
		return (count > 0) ? count : -1;
	}

	/**
	 * Decodes into a buffer of its own, never straight into the caller's: a character outside
	 * the Basic Multilingual Plane is two chars, which a read of one char (a {@code PushbackReader}
	 * looking for a byte order mark) has no room for, and the decoder would wait for room for ever.
	 * Throws once every character before the bad bytes has been handed out.
	 */
	private void decodeMore() throws IOException {
		this.decoded.clear();
		CoderResult result = CoderResult.UNDERFLOW;
		while (this.decoded.position() == 0 && !this.done && !result.isError()) {
			result = this.decoder.decode(this.bytes, this.decoded, this.endOfInput);
			if (result.isUnderflow() && this.endOfInput) {
				this.done = this.decoder.flush(this.decoded).isUnderflow();
			}
			else if (result.isUnderflow()) {
				fill();
			}
		}
		this.decoded.flip();
		if (!this.decoded.hasRemaining() && result.isError()) {
			throw new UndecodableTextException(this.line, this.decoder.charset(), badBytes(result.length()));
		}
	}

	private void fill() throws IOException {
		this.bytes.compact();
		int read = this.source.read(this.bytes.array(), this.bytes.position(), this.bytes.remaining());
		if (read < 0) {
			this.endOfInput = true;
		}
		else {
			this.bytes.position(this.bytes.position() + read);
		}
		this.bytes.flip();
	}

	private void countLines(char[] text, int offset, int count) {
		for (int i = offset; i < offset + count; i++) {
			if (text[i] == '\n') {
				this.line++;
			}
		}
	}

	private byte[] badBytes(int length) {
		return Arrays.copyOfRange(this.bytes.array(), this.bytes.position(), this.bytes.position() + length);
	}

	@Override
	public void close() throws IOException {
		this.source.close();
	}

}

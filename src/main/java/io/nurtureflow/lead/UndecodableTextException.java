package io.nurtureflow.lead;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.HexFormat;

/** Bytes that are no text in the charset a file is read in, and the line they are on. */
class UndecodableTextException extends IOException {

	UndecodableTextException(long line, Charset charset, byte[] bytes) {
		super("line " + line + " is not valid " + charset.name() + " (" + ((bytes.length == 1) ? "byte " : "bytes ")
				+ HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes) + ")");
	}

}

package io.nurtureflow.lead;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class StrictTextReaderTest {

	private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

	@Test
	void textInItsCharsetIsReadWhole() throws IOException {
		String text = "\uFEFFemail,lastName\nmueller@example.com,Müller 👩‍💻\n".repeat(2_000);

		assertThat(read(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(text);
		assertThat(read("Müller\n".getBytes(WINDOWS_1252), WINDOWS_1252)).isEqualTo("Müller\n");
	}

	/** Lines long enough that the bytes come in several reads, and characters cut at their ends. */
	@Test
	void bytesOutsideTheCharsetAreRefusedWithTheLineTheyAreOn() {
		byte[] utf8 = ("email,lastName\n" + "lovelace@example.com,Lovelace 🙂\n".repeat(999))
			.getBytes(StandardCharsets.UTF_8);
		byte[] latin = "mueller@example.com,Müller\nlast@example.com,Last\n".getBytes(WINDOWS_1252);
		byte[] bytes = Arrays.copyOf(utf8, utf8.length + latin.length);
		System.arraycopy(latin, 0, bytes, utf8.length, latin.length);

		assertThatThrownBy(() -> read(bytes, StandardCharsets.UTF_8)).isInstanceOf(UndecodableTextException.class)
			.hasMessage("line 1001 is not valid UTF-8 (byte FC)");
	}

	@Test
	void theLinesBeforeTheBadBytesAreHandedOutFirst() throws IOException {
		byte[] bytes = "first\nsecond\nM\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1);
		StringWriter before = new StringWriter();
		try (Reader reader = new StrictTextReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
			assertThatThrownBy(() -> reader.transferTo(before)).isInstanceOf(UndecodableTextException.class)
				.hasMessageStartingWith("line 3 ");
		}
		assertThat(before.toString()).isEqualTo("first\nsecond\nM");
	}

	/** As the import looks for a byte order mark: a read of one char, and a character of two. */
	@Test
	void aCharacterOfTwoCharsIsHandedOutOneCharAtATime() throws IOException {
		String text = "😀email\nada@example.com,Ada 👩‍💻\n";
		StringBuilder read = new StringBuilder();
		try (Reader reader = new StrictTextReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.UTF_8)) {
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
				for (int c = reader.read(); c != -1; c = reader.read()) {
					read.append((char) c);
				}
			});
		}
		assertThat(read).hasToString(text);
	}

	@Test
	void aCharacterCutOffAtTheEndIsRefused() {
		byte[] cut = "Zoë".getBytes(StandardCharsets.UTF_8);
		byte[] bytes = Arrays.copyOf(cut, cut.length - 1);

		assertThatThrownBy(() -> read(bytes, StandardCharsets.UTF_8)).isInstanceOf(UndecodableTextException.class)
			.hasMessage("line 1 is not valid UTF-8 (byte C3)");
	}

	@Test
	void bytesThatWindows1252LeavesUndefinedAreRefusedToo() {
		byte[] bytes = { 'a', '\n', 'b', (byte) 0x81 };

		assertThatThrownBy(() -> read(bytes, WINDOWS_1252)).isInstanceOf(UndecodableTextException.class)
			.hasMessage("line 2 is not valid windows-1252 (byte 81)");
	}

	private static String read(byte[] bytes, Charset charset) throws IOException {
		StringWriter text = new StringWriter();
		try (Reader reader = new StrictTextReader(trickling(bytes), charset)) {
			reader.transferTo(text);
		}
		return text.toString();
	}

	/** At most 1,000 bytes a read, as a network delivers them: characters get cut between reads. */
	private static InputStream trickling(byte[] bytes) {
		return new ByteArrayInputStream(bytes) {

			@Override
			public synchronized int read(byte[] buffer, int offset, int length) {
				return super.read(buffer, offset, Math.min(length, 1_000));
			}

		};
	}

}

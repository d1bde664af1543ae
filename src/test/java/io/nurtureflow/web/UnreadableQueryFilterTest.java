package io.nurtureflow.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which query strings Tomcat would leave a parameter out of, so that an endpoint took its default. */
class UnreadableQueryFilterTest {

	@Test
	void percentEncodedUtf8IsReadable() {
		assertThat(UnreadableQueryFilter.readable("reason=moved+to+a+competitor")).isTrue();
		assertThat(UnreadableQueryFilter.readable("reason=caf%C3%A9&x=%2F%25")).isTrue();
		assertThat(UnreadableQueryFilter.readable("")).isTrue();
	}

	@Test
	void brokenEscapesAndBytesThatAreNoUtf8AreNot() {
		assertThat(UnreadableQueryFilter.readable("reason=%")).isFalse();
		assertThat(UnreadableQueryFilter.readable("reason=%zz")).isFalse();
		assertThat(UnreadableQueryFilter.readable("reason=a%2")).isFalse();
		assertThat(UnreadableQueryFilter.readable("reason=%C3%28")).isFalse();
		assertThat(UnreadableQueryFilter.readable("reason=%FF")).isFalse();
	}

}

package io.nurtureflow.hostile;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.nurtureflow.web.ClientRateLimiter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-client token bucket on a clock the test moves: no sleeping, no timing luck. */
class ClientRateLimiterTest {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private ClientRateLimiter limiter(int perMinute, int maxClients) {
		return new ClientRateLimiter(perMinute, maxClients, this.now::get);
	}

	private void advance(Duration by) {
		this.now.addAndGet(by.toNanos());
	}

	@Test
	void aClientMayBurstToItsMinuteThenWaitsForTheNextToken() {
		ClientRateLimiter limiter = limiter(60, 1000);
		for (int i = 0; i < 60; i++) {
			assertThat(limiter.acquire("203.0.113.7")).as("request %d", i + 1).isZero();
		}
		long wait = limiter.acquire("203.0.113.7");
		assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1).toNanos());

		advance(Duration.ofMillis(500));
		assertThat(limiter.acquire("203.0.113.7")).isPositive();
		advance(Duration.ofMillis(500));
		assertThat(limiter.acquire("203.0.113.7")).as("one token back after a second").isZero();
		assertThat(limiter.acquire("203.0.113.7")).isPositive();
	}

	@Test
	void theBucketRefillsEvenlyAndNeverBeyondAMinutesWorth() {
		ClientRateLimiter limiter = limiter(600, 1000);
		for (int i = 0; i < 600; i++) {
			limiter.acquire("198.51.100.1");
		}
		assertThat(limiter.acquire("198.51.100.1")).isPositive();
		advance(Duration.ofSeconds(1));
		int passed = 0;
		while (limiter.acquire("198.51.100.1") == 0) {
			passed++;
		}
		assertThat(passed).as("ten a second at 600 a minute").isEqualTo(10);

		advance(Duration.ofHours(5));
		passed = 0;
		while (limiter.acquire("198.51.100.1") == 0) {
			passed++;
		}
		assertThat(passed).as("an idle client gets a minute's burst, no more").isEqualTo(600);
	}

	@Test
	void theWaitSaysWhenTheNextRequestWillPass() {
		ClientRateLimiter limiter = limiter(6, 1000);
		for (int i = 0; i < 6; i++) {
			limiter.acquire("203.0.113.9");
		}
		long wait = limiter.acquire("203.0.113.9");
		assertThat(Duration.ofNanos(wait)).isEqualTo(Duration.ofSeconds(10));
		advance(Duration.ofNanos(wait - 1));
		assertThat(limiter.acquire("203.0.113.9")).isPositive();
		advance(Duration.ofNanos(1));
		assertThat(limiter.acquire("203.0.113.9")).isZero();
	}

	@Test
	void clientsAreCountedApart() {
		ClientRateLimiter limiter = limiter(2, 1000);
		limiter.acquire("203.0.113.1");
		limiter.acquire("203.0.113.1");
		assertThat(limiter.acquire("203.0.113.1")).isPositive();
		assertThat(limiter.acquire("203.0.113.2")).isZero();
	}

	@Test
	void ipv6ClientsAreCountedByTheirSlash64() {
		ClientRateLimiter limiter = limiter(2, 1000);
		limiter.acquire("2001:db8:1:2::1");
		limiter.acquire("2001:db8:1:2:ffff:ffff:ffff:fffe");
		assertThat(limiter.acquire("[2001:0db8:0001:0002::abcd]")).as("same /64").isPositive();
		assertThat(limiter.acquire("2001:db8:1:3::1")).as("another /64").isZero();
		assertThat(ClientRateLimiter.clientKey("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
		assertThat(ClientRateLimiter.clientKey("::ffff:192.0.2.5")).isEqualTo("192.0.2.5");
	}

	@Test
	void anythingElseAForwardedHeaderCarriesIsCountedAsShortText() {
		assertThat(ClientRateLimiter.clientKey(null)).isEqualTo("unknown");
		assertThat(ClientRateLimiter.clientKey("  ")).isEqualTo("unknown");
		assertThat(ClientRateLimiter.clientKey("evil.example.com")).isEqualTo("evil.example.com");
		assertThat(ClientRateLimiter.clientKey("::not:an:address::")).isEqualTo("::not:an:address::");
		assertThat(ClientRateLimiter.clientKey("x".repeat(10_000))).hasSize(64);
	}

	@Test
	void memoryIsBoundedByForgettingTheLeastRecentlySeenClient() {
		ClientRateLimiter limiter = limiter(1, 100);
		assertThat(limiter.acquire("192.0.2.1")).isZero();
		for (int i = 0; i < 10_000; i++) {
			limiter.acquire("10.0." + (i / 256) + "." + (i % 256));
			assertThat(limiter.clients()).isLessThanOrEqualTo(100);
		}
		assertThat(limiter.acquire("192.0.2.1")).as("forgotten, so it starts afresh").isZero();
		assertThat(limiter.acquire("192.0.2.1")).isPositive();
	}

	@Test
	void aClockThatGoesBackDoesNotMintTokens() {
		ClientRateLimiter limiter = limiter(1, 100);
		limiter.acquire("192.0.2.9");
		advance(Duration.ofMinutes(-10));
		assertThat(limiter.acquire("192.0.2.9")).isPositive();
	}

	@Test
	void zeroMeansNoLimit() {
		ClientRateLimiter limiter = limiter(0, 100);
		for (int i = 0; i < 10_000; i++) {
			assertThat(limiter.acquire("192.0.2.10")).isZero();
		}
		assertThat(limiter.clients()).isZero();
	}

}

package io.nurtureflow.lead;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How long a claimed try of an email asking a lead to confirm holds its row against other nodes,
 * and the settings a node refuses to start with because of it. The claim held against a send
 * still under way is {@code ResubscribeEmailTest}'s, against a real (trickling) SMTP server.
 */
class ResubscribeClaimTest {

	/** NURTURE_SMTP_TIMEOUT's default: each of the two tries of a send cut off after a minute. */
	private static final Duration LONGEST_SEND = Duration.ofMinutes(2);

	@Test
	void aClaimHoldsItsRowForTheLongestSendAndThenTheWaitAfterAFailure() {
		assertThat(ResubscribeBackoff.held(1, LONGEST_SEND)).isEqualTo(Duration.ofMinutes(3));
		assertThat(ResubscribeBackoff.held(3, LONGEST_SEND)).isEqualTo(Duration.ofMinutes(6));
		assertThat(ResubscribeBackoff.held(20, LONGEST_SEND)).isEqualTo(Duration.ofMinutes(62));
		assertThat(ResubscribeBackoff.held(1, Duration.ZERO)).as("recorded, not sent").isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void theDefaultsLeaveRoomForTries() {
		delivery(LONGEST_SEND, Duration.ofHours(24));
		delivery(LONGEST_SEND, Duration.ofHours(1));
	}

	/**
	 * NURTURE_SMTP_TIMEOUT=5m: a send may take an hour, so a node that stopped while sending would
	 * leave its request held until its link of NURTURE_RESUBSCRIBE_PERIOD=1h expired.
	 */
	@Test
	void aNodeRefusesToStartWhenAClaimWouldHoldARequestHalfItsLinksLifeOrMore() {
		assertThatThrownBy(() -> delivery(Duration.ofHours(1), Duration.ofHours(1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("A send of the email asking a lead to confirm it wants email again may take up to PT1H (two "
					+ "tries, each cut off after 6 times NURTURE_SMTP_TIMEOUT), so a try holds its request PT1H1M "
					+ "against other nodes; that must be at most half of NURTURE_RESUBSCRIBE_PERIOD (PT1H), or a request "
					+ "whose node stopped while sending could expire before another tries it. Lower "
					+ "NURTURE_SMTP_TIMEOUT or raise NURTURE_RESUBSCRIBE_PERIOD");
		delivery(Duration.ofHours(1), Duration.ofHours(3));
	}

	/** The delivery of a node whose sends may take up to {@code longestSend}; nothing else is used at start. */
	private static void delivery(Duration longestSend, Duration period) {
		LeadProperties properties = new LeadProperties(ZoneOffset.UTC, 100_000, Duration.ofDays(7), period,
				Duration.ZERO);
		new ResubscribeDelivery(null, null, null, new SlowMail(longestSend), properties, Clock.systemUTC(),
				new ResubscribeMetrics())
			.destroy();
	}

	/** Mail whose sends may take that long; never asked to send here. */
	private record SlowMail(Duration longestSend) implements ResubscribeMail {

		@Override
		public boolean live() {
			return true;
		}

		@Override
		public Message compose(long id, Lead lead) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String send(Message message) {
			throw new UnsupportedOperationException();
		}

	}

}

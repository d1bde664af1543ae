package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node stopping while it sends emails asking leads to confirm: the send under way is finished
 * and stored, and the sends queued after their commits are left, unclaimed, to the next look, so
 * that no request is lost, held or sent twice. Its own delivery, whose sends wait at a gate the
 * test opens, in front of the real mail (GreenMail).
 */
@LiveChannelsTest
class ResubscribeShutdownTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	LeadRepository leads;

	@Autowired
	DoNotContactList doNotContact;

	@Autowired
	ResubscribeMail mail;

	@Autowired
	LeadProperties properties;

	@Autowired
	Clock clock;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	ResubscribeDelivery looks;

	@Test
	void aNodeStoppingFinishesTheSendUnderWayAndLeavesThoseQueuedToTheNextLook() throws Exception {
		Lead lead = lead();
		GatedMail gated = new GatedMail(this.mail);
		ResubscribeDelivery stopping = new ResubscribeDelivery(this.jdbc, this.leads, this.doNotContact, gated,
				this.properties, this.clock, new ResubscribeMetrics());
		long[] asked = this.transactions.execute((tx) -> {
			long first = asked(lead);
			long second = asked(lead);
			stopping.take(first, lead, now());
			stopping.take(second, lead, now());
			return new long[] { first, second };
		});
		assertThat(gated.entered.await(20, TimeUnit.SECONDS)).as("the first send under way").isTrue();

		AtomicReference<Map<String, Object>> whenStopped = new AtomicReference<>();
		Thread stopper = new Thread(() -> {
			stopping.destroy();
			whenStopped.set(request(asked[0]));
		}, "stopping-node");
		stopper.start();
		awaitWaitingOrDone(stopper);
		gated.open.countDown();
		stopper.join(TimeUnit.SECONDS.toMillis(60));

		assertThat(whenStopped.get()).as("the send under way, stored before the node stopped")
			.containsEntry("STATUS", "SENT")
			.containsEntry("TRIES", 1);
		assertThat(gated.sends).as("the queued send dropped").isOne();
		assertThat(request(asked[1])).as("left unclaimed, due for the next look")
			.containsEntry("STATUS", "ASKED")
			.containsEntry("TRIES", 0);

		this.looks.sendDue();

		assertThat(request(asked[1])).containsEntry("STATUS", "SENT").containsEntry("TRIES", 1);
		assertThat(mailsTo(lead)).as("one email for each request").isEqualTo(2);
	}

	private static int mailsTo(Lead lead) throws Exception {
		int mails = 0;
		for (var mail : LiveChannels.smtp().getReceivedMessages()) {
			mails += mail.getAllRecipients()[0].toString().equals(lead.email()) ? 1 : 0;
		}
		return mails;
	}

	/**
	 * Until the stopping thread waits (for the send under way) or is done: then whether stopping
	 * waits shows in what it found stored when it returned.
	 */
	private static void awaitWaitingOrDone(Thread stopper) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (stopper.getState() != Thread.State.TIMED_WAITING && stopper.getState() != Thread.State.TERMINATED) {
			assertThat(System.nanoTime()).as("the stopping thread waiting or done").isLessThan(end);
			Thread.sleep(10);
		}
	}

	private Lead lead() {
		String email = "stopping-" + UUID.randomUUID() + "@example.com";
		UUID id = UUID.fromString(new Api(this.port).postJson("/api/leads", """
				{"email":"%s","firstName":"Ada"}""".formatted(email)).json().get("id").asText());
		return this.leads.findById(id).orElseThrow();
	}

	/** A request stored as a form stores it, in the caller's transaction. */
	private long asked(Lead lead) {
		var id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into email_resubscription (lead_id, source, status, asked_at, next_try_at)
				values (?, 'submitted again: api', 'ASKED', ?, ?)""")
			.params(lead.id(), Timestamp.from(now()), Timestamp.from(now()))
			.update(id, "id");
		return id.getKeyAs(Long.class);
	}

	private Map<String, Object> request(long id) {
		return this.jdbc.sql("select status, tries from email_resubscription where id = ?").param(id).query().singleRow();
	}

	private static Instant now() {
		return ClockUtil.now().toInstant();
	}

	/** The real mail, whose first send waits until the test opens the gate; counts the sends begun. */
	private static final class GatedMail implements ResubscribeMail {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch open = new CountDownLatch(1);

		private final ResubscribeMail mail;

		volatile int sends;

		GatedMail(ResubscribeMail mail) {
			this.mail = mail;
		}

		@Override
		public boolean live() {
			return this.mail.live();
		}

		@Override
		public Duration longestSend() {
			return this.mail.longestSend();
		}

		@Override
		public Message compose(long id, Lead lead) {
			return this.mail.compose(id, lead);
		}

		@Override
		public String send(Message message) {
			this.sends++;
			this.entered.countDown();
			// an SMTP socket's read goes on when its thread is interrupted, so this does too
			awaitUninterruptibly(this.open);
			return this.mail.send(message);
		}

		private static void awaitUninterruptibly(CountDownLatch latch) {
			boolean interrupted = false;
			while (true) {
				try {
					latch.await();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

}

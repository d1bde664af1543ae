package io.nurtureflow.touch;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import io.nurtureflow.touch.policy.ContactPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database gone for a moment (a restart, a failover) just as a send's outcome is to be
 * committed: the outcome is committed once it is back, so the ledger keeps the truth instead of
 * a claim that the retry would have to mark failed.
 */
@LiveChannelsTest
class OutcomeDuringOutageTest {

	@LocalServerPort
	int port;

	@Autowired
	TouchLedger ledger;

	@Autowired
	LeadRepository leads;

	@Autowired
	ContactPolicy policy;

	@Autowired
	List<TouchChannel> channels;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	Clock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void emptyMailbox() throws Exception {
		LiveChannels.smtp().purgeEmailFromAllMailboxes();
	}

	@AfterEach
	void smtpIsBack() {
		LiveChannels.smtpBack();
	}

	@Test
	void aSendWhoseResultFindsTheDatabaseGoneIsRecordedSentOnceItIsBack() {
		// the claim commits; the result's first two transactions find no database
		TouchDispatcher dispatcher = dispatcher(Set.of(2, 3));
		TouchRequest request = request(newLead());

		TouchOutcome outcome = dispatcher.dispatch(request);

		assertThat(outcome.status()).isEqualTo(TouchStatus.SENT);
		assertThat(LiveChannels.smtp().getReceivedMessages()).hasSize(1);
		assertThat(touch(request)).containsEntry("STATUS", "SENT")
			.containsEntry("PROVIDER_ID", messageId())
			.containsEntry("ATTEMPTS", 1);
	}

	@Test
	void aFailedSendWhoseResultFindsTheDatabaseGoneIsGivenBackAndSentOnTheRetry() {
		TouchDispatcher dispatcher = dispatcher(Set.of(2, 3));
		TouchRequest request = request(newLead());
		LiveChannels.stopSmtp();

		assertThatThrownBy(() -> dispatcher.dispatch(request)).isInstanceOf(RuntimeException.class)
			.isNotInstanceOf(CannotCreateTransactionException.class);
		assertThat(touch(request)).containsEntry("STATUS", "PENDING").containsEntry("ATTEMPTS", 1);

		LiveChannels.startSmtp();
		assertThat(dispatcher.dispatch(request).status()).isEqualTo(TouchStatus.SENT);
		assertThat(LiveChannels.smtp().getReceivedMessages()).hasSize(1);
		assertThat(touch(request)).containsEntry("STATUS", "SENT").containsEntry("ATTEMPTS", 2);
	}

	/** A dispatcher whose transactions of their own fail to start at the given counts (1 = the claim). */
	private TouchDispatcher dispatcher(Set<Integer> failing) {
		return new TouchDispatcher(this.ledger, this.leads, this.policy, this.channels,
				new FailingNewTransactions(this.transactions, failing), this.clock);
	}

	private UUID newLead() {
		String email = "outage-" + UUID.randomUUID() + "@example.com";
		Api.Response created = new Api(this.port).postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","consent":{"email":true}}""".formatted(email));
		assertThat(created.status()).isEqualTo(201);
		return UUID.fromString(created.json().get("id").asText());
	}

	private static TouchRequest request(UUID lead) {
		return new TouchRequest(lead, "outage-" + lead, "test", "Task_Test", "test", Channel.EMAIL, "acknowledgement");
	}

	private java.util.Map<String, Object> touch(TouchRequest request) {
		return this.jdbc.sql("select status, provider_id, attempts from touch where idempotency_key = ?")
			.param(request.idempotencyKey())
			.query()
			.singleRow();
	}

	private static String messageId() {
		try {
			return LiveChannels.smtp().getReceivedMessages()[0].getMessageID();
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The real transaction manager, but a new transaction cannot be had at the given counts. */
	private static final class FailingNewTransactions implements PlatformTransactionManager {

		private final PlatformTransactionManager real;

		private final Set<Integer> failing;

		private final AtomicInteger started = new AtomicInteger();

		FailingNewTransactions(PlatformTransactionManager real, Set<Integer> failing) {
			this.real = real;
			this.failing = failing;
		}

		@Override
		public TransactionStatus getTransaction(TransactionDefinition definition) {
			if (definition != null
					&& definition.getPropagationBehavior() == TransactionDefinition.PROPAGATION_REQUIRES_NEW
					&& this.failing.contains(this.started.incrementAndGet())) {
				throw new CannotCreateTransactionException("Could not open JDBC Connection: the database is restarting");
			}
			return this.real.getTransaction(definition);
		}

		@Override
		public void commit(TransactionStatus status) {
			this.real.commit(status);
		}

		@Override
		public void rollback(TransactionStatus status) {
			this.real.rollback(status);
		}

	}

}

package io.nurtureflow.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import io.nurtureflow.cluster.ClusterRecords.LedgerRow;
import io.nurtureflow.cluster.Outbox.LeadDeliveries;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.NodeCluster;
import io.nurtureflow.support.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed with SIGKILL while leads pour in and its job executor is sending, then started
 * again on the same database. Clients that lost their request send it again with the same
 * idempotency key. Afterwards every lead the server took has its journey, every journey went on
 * to its first three touches, and nothing reached anyone twice: a touch (or a notice to
 * managers) the crash interrupted between claiming it and recording it as sent is never sent
 * again, so it arrived once or not at all; the ledger marks such a touch failed. What arrived is
 * read when the nodes have nothing left to send ({@link QuietOutbox}), so a late copy counts.
 * <p>
 * Twilio answers after 250 ms, as the real API does in a few hundred, so the kill finds SMS
 * being sent; the job lock is 15 s, so the restarted node takes over the dead node's jobs soon,
 * and the node looks for untold engagement every 10 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeCrashTest {

	private static final Logger log = LoggerFactory.getLogger(NodeCrashTest.class);

	private static final int LEADS = Integer.getInteger("cluster.crashLeads", 200);

	private static final String RUN = "crash";

	/** How the ledger marks a touch a node died in the middle of sending. */
	private static final String INTERRUPTED = "interrupted while sending";

	private NodeCluster cluster;

	private ClusterRecords records;

	private LeadTraffic traffic;

	private int exitCode;

	private Set<UUID> acceptedBeforeKill;

	private Set<UUID> waitingAtKill;

	private long lockedJobsAtKill;

	private Outbox outbox;

	private long untoldAtKill;

	private Set<String> sendingAtKill;

	private Set<UUID> noticesSendingAtKill;

	@BeforeAll
	void nodeIsKilledUnderLoadAndRestarted() {
		// a short lock, so the dead node's jobs are soon free; a node refuses one shorter than twice an
		// email's send deadline (6 times NURTURE_SMTP_TIMEOUT)
		this.cluster = NodeCluster.onFreshDatabase("node_crash", Map.of("NURTURE_JOB_LOCK_MS", "24000",
				"NURTURE_SMTP_TIMEOUT", "2s", "NURTURE_ENGAGEMENT_REDELIVERY", "10s"), List.of());
		this.cluster.twilioTakesMessagesWithin(Duration.ofMillis(250));
		this.records = new ClusterRecords(this.cluster.jdbc());
		NodeProcess node = this.cluster.start("node-a");
		node.awaitReady(Duration.ofMinutes(3));
		int port = node.port();
		this.traffic = new LeadTraffic(RUN, 4, List.<IntSupplier>of(() -> port));
		this.traffic.postUpTo(LEADS / 2);

		Deadline.within(Duration.ofSeconds(60 + LEADS / 4)).await("half the leads taken, and SMS being sent",
				() -> this.traffic.accepted().size() >= LEADS / 2 && this.records.touchesBeingSent() > 0,
				() -> this.traffic.accepted().size() + " leads taken");
		// the other half pours in as the node dies: all of them at once would be in before any SMS is sent
		this.traffic.postUpTo(LEADS);
		Deadline.within(Duration.ofSeconds(30)).polledEvery(Duration.ofMillis(50)).await("leads pouring in again",
				() -> this.traffic.accepted().size() > LEADS / 2 && this.records.touchesBeingSent() > 0,
				() -> this.traffic.accepted().size() + " leads taken");
		this.exitCode = node.kill();
		this.acceptedBeforeKill = this.traffic.accepted().keySet();
		this.waitingAtKill = this.records.leadsAwaitingFirstTouches();
		this.lockedJobsAtKill = this.records.lockedJobs();
		long sendingAtKill = this.records.touchesBeingSent();
		this.sendingAtKill = touchesWith("SENDING");
		this.noticesSendingAtKill = this.records.leadsWithInterruptedNotice();
		// an open the dead node stored a minute ago and never told the journeys of
		this.untoldAtKill = new LeadRecords(this.cluster.jdbc()).storedButNeverTold(
				this.acceptedBeforeKill.iterator().next(), null, "OPENED", Instant.now().minus(Duration.ofMinutes(1)));

		long restarting = System.nanoTime();
		this.cluster.start("node-a").awaitReady(Duration.ofMinutes(3));
		long restarted = System.nanoTime();
		this.traffic.awaitAnswered(Duration.ofSeconds(60 + LEADS / 4));
		Deadline.within(Duration.ofSeconds(60 + LEADS / 10)).await("every journey's first three touches",
				() -> this.records.leadsAwaitingFirstTouches().isEmpty(),
				() -> this.records.leadsAwaitingFirstTouches().size() + " leads still waiting");
		this.outbox = QuietOutbox.read(this.cluster, this.records, Duration.ofMinutes(2));
		log.info("killed after {} leads (exit code {}): {} journeys short of their first touches, {} jobs locked, "
				+ "{} touches being sent; restarted in {} s; {} requests lost and sent again; {} touches and {} notices "
				+ "to managers interrupted",
				this.acceptedBeforeKill.size(), this.exitCode, this.waitingAtKill.size(), this.lockedJobsAtKill,
				sendingAtKill, Math.round((restarted - restarting) / 1e9), this.traffic.lostRequests(),
				interrupted().size(), this.records.leadsWithInterruptedNotice().size());
	}

	@AfterAll
	void stopNode() {
		if (this.traffic != null) {
			this.traffic.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void theNodeDiedOfSigkillWithWorkInFlight() {
		assertThat(this.exitCode).isEqualTo(NodeProcess.KILLED_EXIT_CODE);
		assertThat(this.acceptedBeforeKill).as("leads taken before the kill").isNotEmpty().hasSizeLessThan(LEADS);
		assertThat(this.traffic.lostRequests()).as("requests the kill left unanswered, sent again").isPositive();
		assertThat(this.waitingAtKill).as("journeys short of their first touches at the kill").isNotEmpty();
		assertThat(this.lockedJobsAtKill).as("jobs the dead node held").isPositive();
	}

	@Test
	void everyLeadTakenBeforeOrAfterTheCrashHasItsJourney() {
		assertThat(this.traffic.statuses().keySet()).as("final answers, after retries").isSubsetOf(200, 201);
		assertThat(this.traffic.accepted()).hasSize(LEADS);
		assertThat(this.records.leads()).isEqualTo(this.traffic.accepted().keySet());
		Map<UUID, Integer> journeys = this.records.runningJourneys();
		assertThat(journeys.keySet()).isEqualTo(this.records.leads());
		assertThat(journeys.values()).containsOnly(1);
	}

	@Test
	void journeysCaughtByTheCrashWentOnAfterTheRestart() {
		assertThat(this.records.leadsAwaitingFirstTouches()).isEmpty();
		assertThat(this.records.lockedJobs()).as("jobs still locked by the dead node").isZero();
		assertThat(this.records.incidents()).isZero();
	}

	@Test
	void noTouchReachedALeadTwice() {
		Map<String, List<LedgerRow>> byLeadAndStep = this.records.ledger()
			.stream()
			.collect(Collectors.groupingBy(NodeCrashTest::leadAndStep));
		assertThat(byLeadAndStep).hasSize(2 * LEADS).allSatisfy((key, rows) -> assertThat(rows).as(key).hasSize(1));
		assertThat(this.records.ledger()).allSatisfy((row) -> assertThat(row.status()).isIn("SENT", "FAILED"))
			.filteredOn((row) -> row.status().equals("FAILED"))
			.allSatisfy((row) -> assertThat(row.reason()).startsWith(INTERRUPTED));
		Set<String> interrupted = interrupted();
		Set<UUID> interruptedNotices = this.records.leadsWithInterruptedNotice();
		Map<UUID, String> emails = this.records.emails();
		int[] counted = new int[2];
		// an interrupted touch may have reached the lead once or not at all; any other exactly once
		this.traffic.accepted().forEach((lead, number) -> {
			LeadDeliveries deliveries = this.outbox.about(emails.get(lead), LeadTraffic.phone(number));
			counted[0] += deliveries.acknowledgementEmails() + deliveries.slaNotices();
			counted[1] += deliveries.acknowledgementSms();
			assertThat(deliveries.acknowledgementEmails()).as(lead + " acknowledgement email")
				.isBetween(interrupted.contains(lead + " " + ClusterRecords.ACKNOWLEDGEMENT_EMAIL) ? 0 : 1, 1);
			assertThat(deliveries.acknowledgementSms()).as(lead + " acknowledgement SMS")
				.isBetween(interrupted.contains(lead + " " + ClusterRecords.ACKNOWLEDGEMENT_SMS) ? 0 : 1, 1);
			assertThat(deliveries.slaNotices()).as(lead + " notice to managers")
				.isBetween(interruptedNotices.contains(lead) ? 0 : 1, 1);
		});
		assertThat(this.outbox.emailCount()).as("emails, all of them to leads or about them").isEqualTo(counted[0]);
		assertThat(this.outbox.smsCount()).as("SMS, all of them to leads").isEqualTo(counted[1]);
	}

	/**
	 * Only what the dead node was sending may be marked interrupted (and so allowed to have
	 * reached no one): a touch or notice lost any other way would otherwise pass as the crash's.
	 */
	@Test
	void onlyWhatTheDeadNodeWasSendingIsMarkedInterrupted() {
		assertThat(interrupted()).as("touches marked interrupted").isSubsetOf(this.sendingAtKill);
		assertThat(this.records.leadsWithInterruptedNotice()).as("notices never recorded as sent")
			.isSubsetOf(this.noticesSendingAtKill);
	}

	/**
	 * An open the dead node had stored but not yet told the journeys of (written as its request
	 * left it): the restarted node's redelivery look told it, and the lead was rescored with it.
	 */
	@Test
	void engagementTheCrashLeftUntoldWasToldAfterTheRestart() {
		Deadline.within(Duration.ofSeconds(60)).await("the engagement the crash left untold told",
				() -> new LeadRecords(this.cluster.jdbc()).told(this.untoldAtKill), () -> "still untold");
		assertThat(this.cluster.jdbc()
			.sql("select l.engagement_score from lead l join engagement_event e on e.lead_id = l.id where e.id = ?")
			.param(this.untoldAtKill)
			.query(Double.class)
			.single()).as("engagement score with the open").isPositive();
	}

	@Test
	void theRestartDeployedNothingAgain() {
		assertThat(this.records.definitionVersions()).isNotEmpty()
			.allSatisfy((definition, versions) -> assertThat(versions).as(definition).isEqualTo(1));
		assertThat(this.records.deployments(ClusterRecords.AUTO_DEPLOYMENT)).isEqualTo(1);
	}

	/** Lead and step of every touch the crash interrupted mid-send. */
	private Set<String> interrupted() {
		return touchesWith("FAILED");
	}

	private Set<String> touchesWith(String status) {
		return this.records.ledger()
			.stream()
			.filter((row) -> row.status().equals(status))
			.map(NodeCrashTest::leadAndStep)
			.collect(Collectors.toSet());
	}

	private static String leadAndStep(LedgerRow row) {
		return row.lead() + " " + row.step();
	}

}

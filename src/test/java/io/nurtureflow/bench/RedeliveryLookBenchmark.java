package io.nurtureflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.nurtureflow.engagement.EngagementRedelivery;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the look for untold engagement ({@link EngagementRedelivery}) costs each node every
 * {@code NURTURE_ENGAGEMENT_REDELIVERY} when {@code engagement_event} is large: an idle look (no
 * untold event), a look that tells a handful, and the idle look again without the partial index
 * of migration V16, on PostgreSQL. Not a test: a {@code main} that prints a table and stops.
 * <p>
 * Seeding (SQL): {@code bench.leads} leads without journeys and {@code bench.events} engagement
 * events among them, all told; then {@code bench.untold} opens stored untold two minutes ago.
 * Defaults: {@code -Dbench.leads=100000 -Dbench.events=2000000 -Dbench.untold=50 -Dbench.looks=20}.
 * The scheduled looks are off ({@code nurture.engagement.redelivery=0}); the benchmark makes them.
 */
public final class RedeliveryLookBenchmark {

	static final int LEADS = Integer.getInteger("bench.leads", 100_000);

	static final int EVENTS = Integer.getInteger("bench.events", 2_000_000);

	static final int UNTOLD = Integer.getInteger("bench.untold", 50);

	static final int LOOKS = Integer.getInteger("bench.looks", 20);

	static final Duration AGE = Duration.ofMinutes(1);

	private RedeliveryLookBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchEnvironment.runAndPrint(Map.of("nurture.engagement.redelivery", "0"), Map.of(),
				RedeliveryLookBenchmark::run);
	}

	private static String run(BenchEnvironment env) {
		JdbcTemplate jdbc = env.jdbc();
		EngagementRedelivery redelivery = env.bean(EngagementRedelivery.class);
		List<String[]> rows = new ArrayList<>();

		long seeding = System.nanoTime();
		jdbc.update("""
				insert into lead (id, email, time_zone, consent_email, consent_sms, stage, created_at, updated_at)
				select gen_random_uuid(), 'look-' || n || '@example.com', 'UTC', true, false, 'NEW', now(), now()
				from generate_series(1, ?) n""", LEADS);
		jdbc.update("""
				insert into engagement_event (lead_id, type, channel, occurred_at, received_at, journeys_told)
				select l.id, 'OPENED', 'EMAIL', now() - n * interval '1 second', now() - n * interval '1 second', true
				from generate_series(1, ?) n
				join (select id, row_number() over () - 1 as k from lead) l on l.k = n % ?""", EVENTS, LEADS);
		jdbc.execute("analyze lead");
		jdbc.execute("analyze engagement_event");
		rows.add(BenchEnvironment.row("seeding " + LEADS + " leads, " + EVENTS + " told events",
				BenchEnvironment.format((System.nanoTime() - seeding) / 1e9) + " s"));
		rows.add(BenchEnvironment.row("engagement_event on disk (table and indexes)",
				jdbc.queryForObject("select pg_size_pretty(pg_total_relation_size('engagement_event'))", String.class)));

		rows.add(BenchEnvironment.row("idle look (nothing untold), median of " + LOOKS, median(redelivery) + " ms"));
		storeUntold(jdbc);
		long telling = System.nanoTime();
		int told = redelivery.tellUntold(AGE);
		rows.add(BenchEnvironment.row("look telling " + UNTOLD + " untold opens (" + told + " told)",
				BenchEnvironment.format((System.nanoTime() - telling) / 1e6) + " ms"));
		rows.add(BenchEnvironment.row("idle look again, median of " + LOOKS, median(redelivery) + " ms"));
		String plan = String.join("\n", jdbc.queryForList("""
				explain (analyze, buffers) select id from engagement_event
				where journeys_told = false and received_at < now() and tell_attempts < 10
				  and (last_tried_at is null or last_tried_at <= now())
				order by received_at, id fetch first 500 rows only""", String.class));

		jdbc.execute("drop index ix_engagement_untold");
		jdbc.execute("analyze engagement_event");
		rows.add(BenchEnvironment.row("idle look without V16's partial index, median of " + LOOKS,
				median(redelivery) + " ms"));

		return "\n==== RedeliveryLookBenchmark ====\n"
				+ BenchEnvironment.table(new String[] { "setting", "value" }, env.setting()) + "\n"
				+ BenchEnvironment.table(new String[] { "figure", "measured" }, rows)
				+ "\nThe look's select with the partial index (EXPLAIN ANALYZE, after the telling):\n" + plan + "\n"
				+ Commands.rerun(RedeliveryLookBenchmark.class);
	}

	private static void storeUntold(JdbcTemplate jdbc) {
		jdbc.update("""
				insert into engagement_event (lead_id, type, channel, occurred_at, received_at, journeys_told)
				select id, 'OPENED', 'EMAIL', now() - interval '2 minutes', now() - interval '2 minutes', false
				from lead limit ?""", UNTOLD);
	}

	/** Median wall time of {@link #LOOKS} looks, in milliseconds. */
	private static String median(EngagementRedelivery redelivery) {
		long[] nanos = new long[LOOKS];
		for (int i = 0; i < LOOKS; i++) {
			long began = System.nanoTime();
			redelivery.tellUntold(AGE);
			nanos[i] = System.nanoTime() - began;
		}
		Arrays.sort(nanos);
		return BenchEnvironment.format(nanos[LOOKS / 2] / 1e6);
	}

}

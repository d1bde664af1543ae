package io.nurtureflow.bench;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A year of Nurtureflow's own records, generated in PostgreSQL with {@code generate_series}: leads
 * spread over the days (more in business hours), with the mix of industries, sizes, sources,
 * countries and fit grades a B2B form sees, and conversion skewed towards software, mid-market
 * sizes and referral or webinar sources, so the reports see real selectivity; their consent rows;
 * the touches each journey makes on its schedule (acknowledgement email and SMS within minutes,
 * the nurture cadence over about 80 days, then a monthly digest), thinned at random to the number
 * asked for; and the opens, clicks, replies and opt-outs a share of them drew, plus conversions.
 * Customers whose renewal call has come (ten to thirteen months after conversion, so only in the
 * oldest leads of a year) said "not renewing" at the rate B2B subscriptions lose customers in a
 * year, and are {@code CHURNED}.
 * <p>
 * Lead {@code n} has id {@code 00000001-0000-4000-8000-<n in hex>}; its journey's process instance
 * is {@code 00000002-} with the same tail (see {@link JourneyHistoryDataSet}).
 */
final class InsightDataSet {

	static final List<String> TABLES = List.of("lead", "consent", "touch", "engagement_event");

	/** The stages whose lead-nurture journey ended: a churned customer's ended at its conversion. */
	static final String ENDED = "('CUSTOMER', 'CHURNED', 'SQL', 'DISQUALIFIED', 'UNSUBSCRIBED')";

	/** Days after capture of each touch step of {@code lead-nurture}; the monthly digest goes on every 30 days. */
	private static final int[] OFFSET_DAYS = { 0, 0, 7, 14, 21, 28, 42, 63, 77 };

	private static final String[][] STEPS = { { "Task_SendAcknowledgement", "EMAIL", "acknowledgement" },
			{ "Task_SendAcknowledgementSms", "SMS", "acknowledgement" },
			{ "Task_SendNurtureEmail", "EMAIL", "industry-insight" },
			{ "Task_SendNurtureEmail", "EMAIL", "benchmark-report" }, { "Task_SendNurtureSms", "SMS", "check-in" },
			{ "Task_SendNurtureEmail", "EMAIL", "checklist" }, { "Task_SendNurtureEmail", "EMAIL", "case-study" },
			{ "Task_SendNurtureEmail", "EMAIL", "video-walkthrough" }, { "Task_SendNurtureEmail", "EMAIL", "survey" } };

	private final int leads;

	private final long touches;

	private final int days;

	private final String now;

	InsightDataSet(int leads, long touches, int days, Instant now) {
		this.leads = leads;
		this.touches = touches;
		this.days = days;
		this.now = "timestamptz '" + now + "'";
	}

	void seed(BulkLoad load) throws SQLException {
		load.update("lead", bind(LEADS));
		load.update("consent", """
				insert into consent (lead_id, channel, granted, source, recorded_at)
				select id, 'EMAIL', consent_email or stage = 'UNSUBSCRIBED', 'web-form', created_at from lead
				union all
				select id, 'SMS', consent_sms, 'web-form', created_at from lead where phone is not null
				union all
				select id, 'EMAIL', false, 'unsubscribe-link', updated_at from lead where stage = 'UNSUBSCRIBED'""");
		load.execute(touchSteps());
		load.update("touch", bind(TOUCHES));
		load.update("engagement_event", bind(ENGAGEMENT));
	}

	/** The touch schedule as a temporary table, long enough for the oldest lead's monthly digests. */
	private String touchSteps() {
		List<String> rows = new ArrayList<>();
		for (int s = 0; s < STEPS.length; s++) {
			rows.add(step(s, STEPS[s], OFFSET_DAYS[s]));
		}
		int last = OFFSET_DAYS[OFFSET_DAYS.length - 1];
		for (int s = STEPS.length, offset = last + 20; offset <= this.days; s++, offset += 30) {
			rows.add(step(s, new String[] { "Task_SendMonthlyTouch", "EMAIL", "monthly-digest" }, offset));
		}
		return "create temporary table bench_touch_step (s, activity_id, channel, content, after_capture, jitter) as values "
				+ String.join(",\n", rows);
	}

	private static String step(int s, String[] step, int offsetDays) {
		// acknowledgements within minutes of capture, the rest within working hours of their day
		String jitter = (offsetDays == 0) ? ((step[1].equals("SMS")) ? "interval '5 minutes'" : "interval '2 minutes'")
				: "interval '9 hours'";
		return "(%d, '%s', '%s', '%s', interval '%d days' + interval '10 seconds', %s)".formatted(s, step[0], step[1],
				step[2], offsetDays, jitter);
	}

	private String bind(String sql) {
		return sql.replace("{now}", this.now)
			.replace("{leads}", Integer.toString(this.leads))
			.replace("{days}", Integer.toString(this.days))
			.replace("{touches}", Long.toString(this.touches))
			.replace("{ended}", ENDED)
			.replace("{industry}", pick("r_industry", weights("software", 20, "saas", 18, "financial services", 14,
					"retail", 12, "manufacturing", 14, "healthcare", 12, "education", 10)))
			.replace("{size}", pick("r_size", weights("1-10", 8, "11-50", 18, "51-200", 25, "201-500", 20,
					"501-1000", 12, "1001-5000", 10, "5001+", 7)))
			.replace("{source}", pick("r_source", weights("webinar", 22, "website", 30, "referral", 12,
					"trade-show", 14, "paid-search", 22)))
			.replace("{country}", pick("r_country", weights("US", 30, "GB", 15, "DE", 15, "FR", 10, "NL", 8, "BR",
					10, "IN", 12)))
			.replace("{title}", pick("r_title", weights("CEO", 6, "CTO", 5, "VP Sales", 10, "Head of Operations", 12,
					"Director of Marketing", 10, "Marketing Manager", 16, "Operations Manager", 12,
					"Sales Representative", 9, "Analyst", 14, "Founder", 6)))
			.replace("{grade}", pick("r_grade", weights("A", 15, "B", 30, "C", 35, "D", 20)))
			.replace("{stage}", pick("r_stage", weights("DISQUALIFIED", 7, "UNSUBSCRIBED", 6, "SQL", 3, "MQL", 6,
					"ENGAGED", 22, "CONTACTED", 56)));
	}

	private static Map<String, Integer> weights(Object... pairs) {
		Map<String, Integer> weights = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			weights.put((String) pairs[i], (Integer) pairs[i + 1]);
		}
		return weights;
	}

	/** A SQL {@code case} that maps a uniform random column to a value, by weight. */
	static String pick(String random, Map<String, Integer> weights) {
		double total = weights.values().stream().mapToInt(Integer::intValue).sum();
		StringBuilder sql = new StringBuilder("case");
		double cumulative = 0;
		List<String> values = new ArrayList<>(weights.keySet());
		for (int i = 0; i < values.size() - 1; i++) {
			cumulative += weights.get(values.get(i)) / total;
			sql.append(" when ").append(random).append(" < ").append(cumulative).append(" then '")
				.append(values.get(i)).append('\'');
		}
		return sql.append(" else '").append(values.get(values.size() - 1)).append("' end").toString();
	}

	/*
	 * Conversion odds relative to the average (by industry, size and source) make "who converts"
	 * show a pattern; leads younger than a day are still NEW; conversions take at least two weeks.
	 * The stages each lead reached on the way carry their milestones, as the journeys stamp them
	 * (db/postgresql/V27): customers and SQLs were MQLs and SQLs; of the leads disqualified, 30 %
	 * were SQLs and 20 % more MQLs before sales turned them down; 20 % of those that unsubscribed
	 * had been MQLs. MQL comes at 40 % of the way to the journey's end, SQL at 70 %; a disqualified
 * lead was disqualified at its journey's end (db/postgresql/V29).
	 * Ended journeys (customer, sales-qualified, disqualified, unsubscribed) end on updated_at.
	 * The customer journey asks for the renewal at its quarterly check once the renewal (a year
	 * after conversion) is 60 days or less away, 305 to 395 days after conversion; of the customers
	 * asked by now, 15 % said "not renewing" (30 % of companies up to 50 people) and are CHURNED
	 * since (updated_at), their conversion kept in converted_at.
	 */
	private static final String LEADS = """
			insert into lead (id, email, phone, first_name, last_name, company, title, industry, company_size,
			                  country, time_zone, source, campaign, consent_email, consent_sms, stage, fit_score,
			                  fit_grade, engagement_score, failed_touches, created_at, updated_at, converted_at,
			                  mql_at, sql_at, customer_at, disqualified_at)
			select id, 'lead-' || n || '@bench.example.com', phone, 'Bench', 'Lead ' || n, 'Company ' || (n % 20011),
			       title, industry, company_size, country, time_zone, source,
			       case when source in ('website', 'trade-show') and r_campaign < 0.4 then null
			            else source || '-' || to_char(created_at at time zone 'UTC', 'YYYY-"q"Q') end,
			       consent_email and stage <> 'UNSUBSCRIBED', consent_sms, stage,
			       case fit_grade when 'A' then 80 when 'B' then 60 when 'C' then 40 else 10 end
			           + floor(r_score * 20)::int,
			       fit_grade,
			       round((case stage when 'CUSTOMER' then 140 when 'SQL' then 110 when 'MQL' then 80
			                         when 'ENGAGED' then 35 when 'CONTACTED' then 8 else 0 end
			              * (0.5 + r_score))::numeric, 2),
			       0, created_at,
			       case when stage = 'CHURNED' then nurture_end + renewal_after
			            when stage in {ended} then nurture_end
			            else created_at + r_end * ({now} - created_at) end,
			       case when nurtured = 'CUSTOMER' then nurture_end end,
			       case when nurtured in ('CUSTOMER', 'SQL', 'MQL')
			                 or (nurtured = 'DISQUALIFIED' and r_reached < 0.5)
			                 or (nurtured = 'UNSUBSCRIBED' and r_reached < 0.2)
			            then created_at + 0.4 * (nurture_end - created_at) end,
			       case when nurtured in ('CUSTOMER', 'SQL') or (nurtured = 'DISQUALIFIED' and r_reached < 0.3)
			            then created_at + 0.7 * (nurture_end - created_at) end,
			       case when nurtured = 'CUSTOMER' then nurture_end end,
			       case when nurtured = 'DISQUALIFIED' then nurture_end end
			from (
			    select *, case when nurtured = 'CUSTOMER' and nurture_end + renewal_after < {now}
			                        and r_churn < case when company_size in ('1-10', '11-50') then 0.3 else 0.15 end
			                   then 'CHURNED'
			                   else nurtured end as stage
			    from (
			        select *, case when created_at > {now} - interval '1 day' then 'NEW'
			                       when created_at < {now} - interval '14 days' and r_convert < least(0.7, 0.07 * odds)
			                       then 'CUSTOMER'
			                       else {stage} end as nurtured,
			                  least(created_at + interval '2 days' + r_end * interval '120 days', {now}) as nurture_end
			        from (
			            select *,
			                   case industry when 'software' then 2.2 when 'saas' then 2.2 when 'financial services' then 1.0
			                                 when 'healthcare' then 0.6 when 'manufacturing' then 0.5 when 'retail' then 0.4
			                                 else 0.3 end
			                   * case company_size when '1-10' then 0.2 when '11-50' then 0.7 when '51-200' then 1.8
			                                       when '201-500' then 1.8 when '501-1000' then 1.4 when '1001-5000' then 0.6
			                                       else 0.4 end
			                   * case source when 'referral' then 2.2 when 'webinar' then 1.8 when 'website' then 0.9
			                                 when 'trade-show' then 0.7 else 0.4 end as odds,
			                   case country when 'US' then 'America/New_York' when 'GB' then 'Europe/London'
			                                when 'DE' then 'Europe/Berlin' when 'FR' then 'Europe/Paris'
			                                when 'NL' then 'Europe/Amsterdam' when 'BR' then 'America/Sao_Paulo'
			                                else 'Asia/Kolkata' end as time_zone,
			                   case when r_phone < 0.6 then '+1415555' || lpad((n % 10000)::text, 4, '0') end as phone,
			                   r_consent < 0.93 as consent_email,
			                   r_phone < 0.6 and r_consent_sms < 0.45 as consent_sms,
			                   case when captured > {now} then captured - interval '1 day' else captured end as created_at,
			                   interval '305 days' + r_renewal * interval '90 days' as renewal_after
			            from (
			                select n, pg_temp.bench_id(1, n)::uuid as id,
			                       {industry} as industry, {size} as company_size, {source} as source,
			                       {country} as country, {title} as title, {grade} as fit_grade,
			                       date_trunc('day', {now}) - floor(r_day * {days}) * interval '1 day'
			                           + (case when r_hour < 0.8 then 8 + floor(r_hour * 12.5)
			                                   else floor((r_hour - 0.8) * 120) end) * interval '1 hour'
			                           + r_minute * interval '1 hour' as captured,
			                       r_convert, r_stage, r_end, r_score, r_campaign, r_phone, r_consent, r_consent_sms,
			                       r_renewal, r_churn, r_reached
			                from (
			                    select n, random() as r_industry, random() as r_size, random() as r_source,
			                           random() as r_country, random() as r_title, random() as r_grade, random() as r_day,
			                           random() as r_hour, random() as r_minute, random() as r_convert,
			                           random() as r_stage, random() as r_end, random() as r_score, random() as r_campaign,
			                           random() as r_phone, random() as r_consent, random() as r_consent_sms,
			                           random() as r_renewal, random() as r_churn, random() as r_reached
			                    from generate_series(1, {leads}) n
			                ) r
			            ) a
			        ) b
			    ) c
			) d""";

	/*
	 * Every step each lead's journey has reached by now (or by its end), thinned at random to the
	 * number of touches asked for, written in time order so ids grow with created_at as they do.
	 */
	private static final String TOUCHES = """
			insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel, content,
			                   status, reason, provider_id, attempts, created_at, updated_at, deferred_until)
			select process_instance_id || ':' || activity_id || ':' || s, lead_id, process_instance_id, activity_id,
			       'lead-nurture', channel, content, status,
			       case status when 'SKIPPED' then case channel when 'SMS' then 'no SMS consent' else 'no email consent' end
			                   when 'FAILED' then case channel when 'SMS' then 'invalid number' else 'hard bounce' end
			                   when 'DEFERRED' then case channel when 'SMS' then 'quiet hours' else 'frequency cap' end end,
			       case when channel = 'SMS' and status in ('SENT', 'DELIVERED') then 'SM' || md5(process_instance_id || s) end,
			       case status when 'SKIPPED' then 0 else 1 end, created_at, created_at,
			       case status when 'DEFERRED' then created_at + interval '14 hours' end
			from (
			    select *, case when not consented then 'SKIPPED'
			                   when r_status < 0.025 then 'FAILED'
			                   when r_status < case channel when 'SMS' then 0.10 else 0.05 end then 'DEFERRED'
			                   when r_status < 0.25 then 'SENT'
			                   else 'DELIVERED' end as status
			    from (
			        select l.id as lead_id, '00000002' || substr(l.id::text, 9) as process_instance_id, st.s,
			               st.activity_id, st.channel, st.content,
			               l.created_at + st.after_capture + random() * st.jitter as created_at,
			               case st.channel when 'SMS' then l.consent_sms else l.consent_email or l.stage = 'UNSUBSCRIBED' end
			                   as consented,
			               random() as r_status,
			               case when l.stage in {ended} then coalesce(l.converted_at, l.updated_at) else {now} end
			                   as journey_end
			        from lead l join bench_touch_step st on l.created_at + st.after_capture < {now}
			    ) candidate
			    where created_at < journey_end
			    order by random()
			    limit {touches}
			) t
			order by created_at""";

	/*
	 * What the touches that reached a lead drew, more from leads further down the funnel; then one
	 * conversion per customer, churned or not, one unsubscription per unsubscribed lead, and a few
	 * downloads and survey answers that no touch carried.
	 */
	private static final String ENGAGEMENT = """
			insert into engagement_event (lead_id, touch_id, type, channel, detail, occurred_at, received_at, dedupe_key)
			with reached as materialized (
			    select t.id, t.lead_id, t.channel, t.created_at,
			           case l.stage when 'CUSTOMER' then 2.0 when 'CHURNED' then 2.0 when 'SQL' then 1.8
			                        when 'MQL' then 1.6 when 'ENGAGED' then 1.3 when 'UNSUBSCRIBED' then 0.5 else 0.6 end as keen,
			           random() as r_open, random() as r_click, random() as r_reply, random() as r_out,
			           random() as r_delay
			    from touch t join lead l on l.id = t.lead_id
			    where t.status in ('RECORDED', 'SENT', 'DELIVERED')
			),
			drawn as (
			    select id, lead_id, channel, created_at, r_delay, 'OPENED' as type from reached
			        where channel = 'EMAIL' and r_open < 0.30 * keen
			    union all select id, lead_id, channel, created_at, r_delay, 'CLICKED' from reached
			        where channel = 'EMAIL' and r_click < 0.07 * keen
			    union all select id, lead_id, channel, created_at, r_delay, 'REPLIED' from reached
			        where channel = 'EMAIL' and r_reply < 0.015 * keen
			    union all select id, lead_id, channel, created_at, r_delay, 'UNSUBSCRIBED' from reached
			        where channel = 'EMAIL' and r_out < 0.004
			    union all select id, lead_id, channel, created_at, r_delay, 'SMS_REPLIED' from reached
			        where channel = 'SMS' and r_reply < 0.04 * keen
			    union all select id, lead_id, channel, created_at, r_delay, 'SMS_OPTED_OUT' from reached
			        where channel = 'SMS' and r_out < 0.012
			)
			select lead_id, id, type, channel, null, occurred_at, occurred_at, 'bench:' || id || ':' || type
			from (select *, least(created_at + r_delay * interval '48 hours', {now}) as occurred_at from drawn) d
			union all
			select id, null, 'CONVERTED', null, 'closed won', converted_at, converted_at, 'bench:converted:' || id
			from lead where converted_at is not null
			union all
			select id, null, 'UNSUBSCRIBED', 'EMAIL', 'unsubscribe link', updated_at, updated_at, 'bench:unsubscribed:' || id
			from lead where stage = 'UNSUBSCRIBED'
			union all
			select id, null, case when random() < 0.5 then 'CONTENT_DOWNLOADED' else 'SURVEY_ANSWERED' end, null,
			       'whitepaper', updated_at, updated_at, 'bench:content:' || id
			from lead where stage in ('ENGAGED', 'MQL') and random() < 0.2""";

}

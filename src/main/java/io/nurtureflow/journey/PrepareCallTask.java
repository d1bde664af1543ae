package io.nurtureflow.journey;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.scoring.LeadScoring;
import io.nurtureflow.scoring.ScoreCard;
import io.nurtureflow.touch.Touch;
import io.nurtureflow.touch.TouchLedger;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.history.HistoricTaskInstance;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code ${prepareCallTask}}: puts what a rep needs to call well on the task itself, as task
 * variables the forms show: who, where and what time it is there, the score and why, the last
 * touches and engagement. They belong to the task, not the journey, and the forms send none of
 * them back. A new call task also counts as a call attempt. The escalation of a missed call SLA
 * shows when that call was due, in the business zone: the managers' time, not the lead's or UTC.
 */
@Component("prepareCallTask")
class PrepareCallTask implements TaskListener {

	private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("EEE HH:mm (xxx)", Locale.ENGLISH);

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

	/** When a call was due, as managers read it: the day too, as an escalation may wait over a weekend. */
	private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("EEE d MMM HH:mm (VV)", Locale.ENGLISH);

	private static final int RECENT = 5;

	/** The call tasks that count as call attempts, which decide whether a call is retried. */
	private static final Set<String> CALLS = Set.of(LeadNurture.TASK_CALL_NEW_LEAD, LeadNurture.TASK_CALL_LEAD_AGAIN);

	/** The characters a backslash escapes in Markdown (CommonMark): all of ASCII punctuation. */
	private static final String MARKDOWN_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

	/** The task variables this listener writes; the engine's history leaves them out ({@link JourneyHistory}). */
	static final Set<String> CALL_SHEET = Set.of("leadName", "leadCompany", "leadTitle", "leadPhone", "leadEmail",
			"leadTimeZone", "leadLocalTime", "leadScore", "leadScoreWhy", "leadRecentTouches", "leadRecentEngagement",
			"callDue");

	private final LeadRepository leads;

	private final LeadScoring scoring;

	private final TouchLedger touches;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ZoneId businessZone;

	PrepareCallTask(LeadRepository leads, LeadScoring scoring, TouchLedger touches, JdbcClient jdbc, Clock clock,
			JourneyProperties properties) {
		this.leads = leads;
		this.scoring = scoring;
		this.touches = touches;
		this.jdbc = jdbc;
		this.clock = clock;
		this.businessZone = ZoneId.of(properties.businessZone());
	}

	@Override
	public void notify(DelegateTask task) {
		var leadId = LeadNurture.leadId(task.getExecution());
		Lead lead = this.leads.findById(leadId)
			.orElseThrow(() -> new IllegalStateException("Journey refers to unknown lead " + leadId));
		if (CALLS.contains(task.getTaskDefinitionKey())) {
			Object attempts = task.getExecution().getVariable(LeadNurture.CALL_ATTEMPTS);
			int count = (attempts instanceof Number number) ? number.intValue() : 0;
			task.getExecution().setVariable(LeadNurture.CALL_ATTEMPTS, count + 1);
		}
		ScoreCard score = this.scoring.explain(leadId);
		Map<String, Object> sheet = new LinkedHashMap<>();
		sheet.put("leadName", text(lead.displayName()));
		sheet.put("leadCompany", text(lead.company()));
		sheet.put("leadTitle", text(lead.title()));
		// E.164 and an IANA zone id: digits, letters and marks that Markdown leaves as they are
		sheet.put("leadPhone", Objects.requireNonNullElse(lead.phone(), ""));
		sheet.put("leadEmail", text(lead.email()));
		sheet.put("leadTimeZone", lead.timeZone().getId());
		sheet.put("leadLocalTime", ZonedDateTime.ofInstant(this.clock.instant(), lead.timeZone()).format(LOCAL_TIME));
		sheet.put("leadScore", score.total() + " (" + score.band() + ", fit " + score.grade() + ")");
		sheet.put("leadScoreWhy", score.summary());
		sheet.put("leadRecentTouches", recentTouches(lead));
		sheet.put("leadRecentEngagement", recentEngagement(lead));
		Date due = LeadNurture.TASK_ESCALATE_MISSED_SLA.equals(task.getTaskDefinitionKey()) ? missedCallDue(task)
				: task.getDueDate();
		if (due != null) {
			// in the zone the reps and managers work in (business hours); the task's due date stays the instant
			sheet.put("callDue", ZonedDateTime.ofInstant(due.toInstant(), this.businessZone).format(DUE));
		}
		task.setVariablesLocal(sheet);
	}

	/**
	 * When the call whose SLA was missed was due: the due date of the journey's latest "Call new
	 * lead" task, the first call, whose SLA timer fired (both are {@code journeyTiming.callDue} as
	 * the task starts; asked again now, it would give a moment yet to come). Read from the history,
	 * as the rep may have logged that call (the timer does not cancel it) before the escalation task
	 * is created.
	 */
	private static Date missedCallDue(DelegateTask task) {
		return task.getProcessEngineServices()
			.getHistoryService()
			.createHistoricTaskInstanceQuery()
			.processInstanceId(task.getProcessInstanceId())
			.taskDefinitionKey(LeadNurture.TASK_CALL_NEW_LEAD)
			.orderByHistoricActivityInstanceStartTime()
			.desc()
			.listPage(0, 1)
			.stream()
			.findFirst()
			.map(HistoricTaskInstance::getDueDate)
			.orElse(null);
	}

	private String recentTouches(Lead lead) {
		List<Touch> all = this.touches.findByLead(lead.id());
		StringBuilder lines = new StringBuilder();
		all.subList(Math.max(0, all.size() - RECENT), all.size())
			.forEach((touch) -> lines.append("- ")
				.append(day(touch.createdAt(), lead))
				.append(' ')
				.append(touch.channel())
				.append(' ')
				.append(touch.content())
				.append(": ")
				.append(touch.status())
				.append((touch.reason() != null) ? " (" + touch.reason() + ")" : "")
				.append('\n'));
		return lines.isEmpty() ? "- none yet" : lines.toString();
	}

	private String recentEngagement(Lead lead) {
		StringBuilder lines = new StringBuilder();
		this.jdbc.sql("""
				select type, occurred_at from engagement_event where lead_id = ?
				order by occurred_at desc, id desc fetch first 5 rows only""")
			.param(lead.id())
			.query((rs, n) -> "- " + day(rs.getTimestamp(2).toInstant(), lead) + " " + rs.getString(1) + "\n")
			.list()
			.forEach(lines::append);
		return lines.isEmpty() ? "- none yet" : lines.toString();
	}

	private static String day(java.time.Instant at, Lead lead) {
		return at.atZone(lead.timeZone()).format(DAY);
	}

	/**
	 * What the lead typed, as the forms' text views show it: Tasklist renders them as Markdown with
	 * inline HTML, so every ASCII punctuation mark is escaped and shows as itself. A lead named
	 * {@code [Log in](https://...)} or {@code <img src=...>} is text to a rep, not a link or an image.
	 */
	private static String text(String value) {
		StringBuilder shown = new StringBuilder();
		Objects.requireNonNullElse(value, "").codePoints().forEach((c) -> {
			if (MARKDOWN_PUNCTUATION.indexOf(c) >= 0) {
				shown.append('\\');
			}
			shown.appendCodePoint(c);
		});
		return shown.toString();
	}

}

package io.nurtureflow.demo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.touch.policy.ContactWindow;

/**
 * What the people in the demo do, and when: leads arrive mostly on working days and hours, reps
 * answer call tasks within minutes or hours later (faster as the weeks go by), calls end the way
 * calls end, and leads open, click, reply, download, unsubscribe and buy at rates that follow
 * their {@link Persona}. Nothing here touches the engine; {@link DemoSimulation} carries it out.
 */
final class DemoScript {

	static final String CALL = LeadNurture.TASK_CALL_NEW_LEAD;

	static final String CALL_AGAIN = LeadNurture.TASK_CALL_LEAD_AGAIN;

	static final String FOLLOW_UP = "Task_FollowUpHotLead";

	private static final Set<String> DOWNLOADABLE = Set.of("industry-insight", "benchmark-report", "checklist",
			"case-study", "video-walkthrough");

	private static final String[] REPLIES = { "Sounds interesting - can you send pricing?",
			"Thanks, forwarding this to my team.", "Could we talk next week?",
			"How does this integrate with our CRM?", "Not the right time, maybe next quarter." };

	private static final Weighted<String> FIRST_CALL = new Weighted<>(Map.of("connected_interested", 14,
			"meeting_booked", 8, "not_now", 10, "no_answer", 30, "voicemail", 20, "not_interested", 13,
			"wrong_person", 5));

	private static final Weighted<String> LATER_CALL = new Weighted<>(Map.of("connected_interested", 10,
			"meeting_booked", 5, "not_now", 6, "no_answer", 40, "voicemail", 27, "not_interested", 12));

	private static final Weighted<String> BUYER_CALL = new Weighted<>(Map.of("connected_interested", 35,
			"meeting_booked", 35, "no_answer", 20, "voicemail", 10));

	private static final Weighted<String> FOLLOW_UP_CALL = new Weighted<>(Map.of("connected_interested", 25,
			"meeting_booked", 10, "not_now", 10, "no_answer", 30, "voicemail", 10, "not_interested", 15));

	private static final Weighted<String> BUYER_FOLLOW_UP = new Weighted<>(Map.of("connected_interested", 40,
			"meeting_booked", 60));

	private final ContactWindow repHours;

	private final ZoneId repZone;

	DemoScript(ContactWindow repHours, ZoneId repZone) {
		this.repHours = repHours;
		this.repZone = repZone;
	}

	/** A Monday at 08:00 UTC, {@code weeks} weeks (and up to six days more) before {@code end}. */
	static Instant start(Instant end, int weeks) {
		LocalDate day = LocalDate.ofInstant(end, ZoneOffset.UTC)
			.minusWeeks(weeks)
			.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
		return day.atTime(8, 0).toInstant(ZoneOffset.UTC);
	}

	/**
	 * When {@code count} leads arrive between {@code start} and {@code end}: each draws an hour,
	 * weekdays and working hours weighing more, and a minute within it.
	 */
	static List<Instant> arrivals(Instant start, Instant end, int count, Random rng) {
		List<Instant> hours = new ArrayList<>();
		List<Double> cumulative = new ArrayList<>();
		double sum = 0;
		for (Instant hour = start; hour.plus(Duration.ofHours(1)).isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
			var utc = hour.atZone(ZoneOffset.UTC);
			boolean weekend = utc.getDayOfWeek() == DayOfWeek.SATURDAY || utc.getDayOfWeek() == DayOfWeek.SUNDAY;
			int h = utc.getHour();
			double weight = (weekend ? 0.3 : 1.0) * ((h >= 7 && h < 20) ? 1.0 : (h >= 20 || h < 1) ? 0.4 : 0.12);
			sum += weight;
			hours.add(hour);
			cumulative.add(sum);
		}
		List<Instant> arrivals = new ArrayList<>();
		for (int i = 0; i < count && !hours.isEmpty(); i++) {
			int slot = Collections.binarySearch(cumulative, rng.nextDouble() * sum);
			slot = Math.min((slot >= 0) ? slot + 1 : -slot - 1, hours.size() - 1);
			arrivals.add(hours.get(slot).plusSeconds(rng.nextInt(3600)));
		}
		arrivals.sort(null);
		return arrivals;
	}

	/**
	 * How a rep (or manager, or customer success) deals with a task, or empty to leave it open.
	 *
	 * @param progress how far the simulation has come, 0 to 1: reps get faster over the weeks
	 */
	Optional<Step> task(String key, Instant created, Instant due, Persona lead, double progress) {
		// a call again is one more of the lead's calls: it counts and draws as every call does
		Random rng = lead.next(CALL_AGAIN.equals(key) ? CALL : key);
		return switch (key) {
			case CALL, CALL_AGAIN -> call(created, due, lead, progress, rng);
			case FOLLOW_UP -> followUp(created, due, lead, progress, rng);
			// the demo has no rep users to reassign a call to, and a reassignment needs one
			case "Task_EscalateMissedSla" -> Optional.of(new Step(working(created.plus(minutes(rng, 15, 180)), rng),
					Map.of("escalationAction", pick(rng, "called_myself", "accepted_delay"),
							"escalationNotes", "")));
			case "Task_Qualify" -> qualify(created, lead, rng);
			case "Task_SocialTouch" -> Optional.of(new Step(working(created.plus(minutes(rng, 30, 40 * 60)), rng),
					Map.of("socialTouchDone", rng.nextDouble() < 0.85, "socialNotes", "")));
			case "Task_CheckIn" -> checkIn(created, rng, "healthy", "healthy", "healthy", "at_risk");
			case "Task_DetractorFollowUp" -> checkIn(created, rng, "healthy", "healthy", "at_risk", "churning");
			default -> Optional.empty();
		};
	}

	private Optional<Step> call(Instant created, Instant due, Persona lead, double progress, Random rng) {
		if (rng.nextDouble() < 0.03) {
			return Optional.empty();
		}
		Instant at = when(created, due, progress, rng);
		String outcome = (lead.converter() ? BUYER_CALL : (lead.calls() <= 1) ? FIRST_CALL : LATER_CALL).pick(rng);
		return Optional.of(new Step(at, callOutcome(outcome, at, rng)));
	}

	/** The call-outcome form as a rep fills it in: a date with "not now", a name with "wrong person". */
	private static Map<String, Object> callOutcome(String outcome, Instant at, Random rng) {
		Map<String, Object> form = new HashMap<>();
		form.put(LeadNurture.CALL_OUTCOME, outcome);
		form.put("callNotes", "");
		if ("not_now".equals(outcome)) {
			form.put(LeadNurture.FOLLOW_UP_DATE,
					LocalDate.ofInstant(at, ZoneOffset.UTC).plusDays(5 + rng.nextInt(16)).toString());
		}
		if ("wrong_person".equals(outcome)) {
			form.put(LeadNurture.REFERRAL_NAME, pick(rng, "Sam Patel", "Alex Morgan", "Jordan Lee", "Robin Fischer"));
			form.put(LeadNurture.REFERRAL_EMAIL, "demo-referral-" + (1 + rng.nextInt(99_999)) + "@example.com");
		}
		return form;
	}

	private Optional<Step> followUp(Instant created, Instant due, Persona lead, double progress, Random rng) {
		String outcome = (lead.converter() ? BUYER_FOLLOW_UP : FOLLOW_UP_CALL).pick(rng);
		Instant at = when(created, due, progress, rng);
		return Optional.of(new Step(at, callOutcome(outcome, at, rng)));
	}

	/**
	 * Customer success checks in (or calls an unhappy customer) within three days, and asks for
	 * another look at a customer who is not healthy; the next check-in draws afresh, so it ends.
	 */
	private Optional<Step> checkIn(Instant created, Random rng, String... health) {
		String answer = pick(rng, health);
		return Optional.of(new Step(working(created.plus(minutes(rng, 60, 72 * 60)), rng), Map.of("customerHealth",
				answer, LeadNurture.NEEDS_FOLLOW_UP, !"healthy".equals(answer), "checkInNotes", "")));
	}

	/** A buyer's qualification stays open until the deal closes; the others are decided in a day or two. */
	private Optional<Step> qualify(Instant created, Persona lead, Random rng) {
		if (lead.converter()) {
			return Optional.empty();
		}
		boolean qualified = rng.nextDouble() < Math.min(0.6, 0.2 + 0.1 * lead.affinity());
		return Optional.of(new Step(working(created.plus(minutes(rng, 60, 30 * 60)), rng),
				Map.of(LeadNurture.QUALIFIED, qualified, "need", qualified ? "faster follow-up" : "not clear yet",
						"budget", qualified ? "yes" : pick(rng, "planned", "none"), "authority",
						pick(rng, "decision_maker", "influencer", "user"), "timeline",
						qualified ? "this_quarter" : pick(rng, "this_year", "later"))));
	}

	/** When a buyer signs: 4 to 18 days after its capture, while reps work. */
	Instant conversion(Instant captured, Persona lead) {
		Random rng = lead.next("conversion");
		return working(captured.plus(Duration.ofHours(4 * 24 + rng.nextInt(14 * 24))), rng);
	}

	/** What a lead does with a touch it got. */
	List<Reaction> react(String channel, String content, Instant sent, Persona lead) {
		Random rng = lead.next("touch " + channel + " " + content);
		List<Reaction> reactions = new ArrayList<>();
		if ("SMS".equals(channel)) {
			if (rng.nextDouble() < (lead.converter() ? 0.15 : 0.04)) {
				reactions.add(new Reaction(sent.plus(minutes(rng, 2, 120)), EngagementType.SMS_REPLIED,
						"Call me next week", false));
			}
			return reactions;
		}
		if (rng.nextDouble() < lead.openRate()) {
			Instant opened = sent.plus(minutes(rng, 5, (rng.nextBoolean()) ? 180 : 48 * 60));
			reactions.add(new Reaction(opened, EngagementType.OPENED, null, true));
			if (rng.nextDouble() < lead.clickRate()) {
				Instant clicked = opened.plus(minutes(rng, 1, 20));
				reactions.add(new Reaction(clicked, EngagementType.CLICKED, "https://nurtureflow.io/resources/" + content,
						true));
				if (DOWNLOADABLE.contains(content) && rng.nextDouble() < 0.45) {
					reactions.add(new Reaction(clicked.plus(minutes(rng, 1, 5)), EngagementType.CONTENT_DOWNLOADED,
							content, false));
				}
			}
		}
		double replyRate = lead.converter() ? 0.12 : Math.min(0.06, 0.02 * lead.affinity());
		if (rng.nextDouble() < replyRate) {
			reactions.add(new Reaction(sent.plus(minutes(rng, 60, 30 * 60)), EngagementType.REPLIED,
					REPLIES[rng.nextInt(REPLIES.length)], true));
		}
		else if (!lead.converter() && lead.openRate() < 0.3 && rng.nextDouble() < 0.025) {
			reactions.add(new Reaction(sent.plus(minutes(rng, 10, 48 * 60)), EngagementType.UNSUBSCRIBED, null, true));
		}
		return reactions;
	}

	/** Within minutes of the task falling due, or hours after it; a share that grows with {@code progress} is quick. */
	private Instant when(Instant created, Instant due, double progress, Random rng) {
		Instant deadline = (due != null) ? due : created.plus(Duration.ofMinutes(5));
		if (rng.nextDouble() < 0.55 + 0.4 * progress) {
			Instant from = later(created, deadline.minus(Duration.ofMinutes(4)));
			long window = Duration.between(from, deadline.minusSeconds(30)).toSeconds();
			return (window > 0) ? from.plusSeconds(rng.nextLong(window)) : created;
		}
		return working(deadline.plus(minutes(rng, 10, 300)), rng);
	}

	/** The moment itself if reps work then, else a little after they start again. */
	private Instant working(Instant moment, Random rng) {
		Instant opening = this.repHours.nextOpening(moment, this.repZone);
		return opening.equals(moment) ? moment : opening.plus(minutes(rng, 1, 45));
	}

	private static Duration minutes(Random rng, int from, int to) {
		return Duration.ofMinutes(from + rng.nextInt(to - from + 1));
	}

	private static Instant later(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static String pick(Random rng, String... values) {
		return values[rng.nextInt(values.length)];
	}

	/** Completing a task at {@code at} with the form's answers. */
	record Step(Instant at, Map<String, Object> form) {
	}

	/**
	 * Something a lead does at {@code at} in answer to a touch.
	 *
	 * @param answersTouch whether the event names the touch (opens, clicks, email replies)
	 */
	record Reaction(Instant at, EngagementType type, String detail, boolean answersTouch) {
	}

}

package io.nurtureflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where the CPU went during a phase, so a figure measured on a shared 2-core machine can be read
 * for what it is: CPU of this JVM by kind of thread, CPU of this benchmark's PostgreSQL (the
 * postmaster and its children), CPU of every other process on the machine, and the statements
 * and transactions PostgreSQL ran (from {@code pg_stat_statements} and {@code pg_stat_database}).
 */
final class Probe {

	private static final long CLOCK_TICKS_PER_SECOND = 100;

	private final JdbcTemplate jdbc;

	private final long postmaster;

	private final boolean statements;

	Probe(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		long pid;
		try {
			String dataDirectory = jdbc.queryForObject("show data_directory", String.class);
			pid = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("[bench] cannot find PostgreSQL's processes, its CPU is not counted: " + ex);
			pid = -1;
		}
		this.postmaster = pid;
		boolean statements;
		try {
			jdbc.queryForObject("select count(*) from pg_stat_statements", Long.class);
			statements = true;
		}
		catch (RuntimeException ex) {
			statements = false;
		}
		this.statements = statements;
	}

	Snapshot snapshot() {
		if (this.statements) {
			this.jdbc.queryForObject("select pg_stat_statements_reset()", Object.class);
		}
		Long commits = this.jdbc.queryForObject(
				"select xact_commit from pg_stat_database where datname = current_database()", Long.class);
		return new Snapshot(System.nanoTime(), threadCpu(), processCpuNanos(this.postmaster, true),
				machineBusyNanos(), (commits != null) ? commits : 0);
	}

	/** What happened since {@code start}; {@code operations} is what the phase counts (leads, jobs). */
	Usage since(Snapshot start, long operations) {
		// pg_stat_database is updated when a backend reports; give it a moment
		Long commits = this.jdbc.queryForObject(
				"select xact_commit from pg_stat_database where datname = current_database()", Long.class);
		long calls = 0;
		List<String[]> top = new ArrayList<>();
		if (this.statements) {
			calls = this.jdbc.queryForObject("select coalesce(sum(calls), 0) from pg_stat_statements", Long.class);
			this.jdbc.query("""
					select calls, round(total_exec_time::numeric, 0) as ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q
					from pg_stat_statements order by total_exec_time desc limit 15""", (rs) -> {
				top.add(new String[] { rs.getString("calls"), rs.getString("ms"), rs.getString("q") });
			});
		}
		Snapshot end = new Snapshot(System.nanoTime(), threadCpu(), processCpuNanos(this.postmaster, true),
				machineBusyNanos(), (commits != null) ? commits : 0);
		// per thread, so threads that ended in between (an earlier phase's) do not count negative
		Map<String, Long> jvm = new LinkedHashMap<>();
		end.threadCpu.forEach((id, cpu) -> {
			ThreadCpu before = start.threadCpu.get(id);
			jvm.merge(cpu.kind(), cpu.nanos() - ((before != null) ? before.nanos() : 0), Long::sum);
		});
		long jvmTotal = jvm.values().stream().mapToLong(Long::longValue).sum();
		long postgres = end.postgresCpu - start.postgresCpu;
		long machine = end.machineBusy - start.machineBusy;
		long wall = end.nanos - start.nanos;
		return new Usage(operations, wall, jvm, postgres, Math.max(0, machine - jvmTotal - postgres),
				end.commits - start.commits, calls, top, this.statements);
	}

	/** CPU of each live thread of this JVM, by id, with its kind. */
	private static Map<Long, ThreadCpu> threadCpu() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<Long, ThreadCpu> byThread = new HashMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			long cpu = threads.getThreadCpuTime(info.getThreadId());
			if (cpu > 0) {
				byThread.put(info.getThreadId(), new ThreadCpu(kind(info.getThreadName()), cpu));
			}
		}
		return byThread;
	}

	record ThreadCpu(String kind, long nanos) {
	}

	static String kind(String thread) {
		if (thread.startsWith("http-nio")) {
			return "HTTP requests";
		}
		if (thread.startsWith("camundaTaskExecutor") || thread.contains("JobExecutor")) {
			return "job executor";
		}
		if (thread.startsWith("raw-engine")) {
			return "raw engine calls";
		}
		if (thread.startsWith("bench-") || thread.startsWith("HttpClient")) {
			return "benchmark load";
		}
		return "other JVM (GC, JIT, pool, acquisition)";
	}

	/** utime + stime of a process and, when asked, its children, in nanos (Linux /proc). */
	private static long processCpuNanos(long pid, boolean withChildren) {
		if (pid <= 0) {
			return 0;
		}
		long ticks = 0;
		try (Stream<Path> all = Files.list(Path.of("/proc"))) {
			for (Path dir : (Iterable<Path>) all::iterator) {
				String name = dir.getFileName().toString();
				if (!name.chars().allMatch(Character::isDigit)) {
					continue;
				}
				long[] stat = stat(dir.resolve("stat"));
				if (stat == null) {
					continue;
				}
				if (Long.parseLong(name) == pid) {
					// children that have ended (PostgreSQL's autovacuum workers, closed connections)
					// count in their parent's cutime and cstime
					ticks += stat[1] + stat[2] + (withChildren ? stat[3] + stat[4] : 0);
				}
				else if (withChildren && stat[0] == pid) {
					ticks += stat[1] + stat[2];
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
	}

	/** ppid, utime, stime, cutime, cstime from /proc/PID/stat, or null when the process is gone. */
	private static long[] stat(Path file) {
		try {
			String line = Files.readString(file);
			String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
			// after "(comm) ": state ppid ... utime is field 14 of the whole line, index 11 here
			return new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
					Long.parseLong(fields[13]), Long.parseLong(fields[14]) };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** CPU time the whole machine spent busy (all cores, not idle, not iowait), in nanos. */
	private static long machineBusyNanos() {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < cpu.length && i <= 8; i++) {
				if (i != 4 && i != 5) {
					busy += Long.parseLong(cpu[i]);
				}
			}
			return busy * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	record Snapshot(long nanos, Map<Long, ThreadCpu> threadCpu, long postgresCpu, long machineBusy, long commits) {
	}

	record Usage(long operations, long wallNanos, Map<String, Long> jvmCpu, long postgresCpu, long othersCpu,
			long commits, long statements, List<String[]> topStatements, boolean statementsCounted) {

		double cores(long nanos) {
			return (double) nanos / this.wallNanos;
		}

		double msPerOperation(long nanos) {
			return (this.operations > 0) ? nanos / 1e6 / this.operations : Double.NaN;
		}

		/** CPU the system under test spent: the JVM less the benchmark's own load, plus PostgreSQL. */
		long serverCpu() {
			return this.jvmCpu.entrySet()
				.stream()
				.filter((e) -> !e.getKey().equals("benchmark load"))
				.mapToLong(Map.Entry::getValue)
				.sum() + this.postgresCpu;
		}

		/** Rows for the report: CPU per operation by where it went, and the machine's load. */
		List<String[]> rows(String unit) {
			List<String[]> rows = new ArrayList<>();
			this.jvmCpu.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
				.forEach((e) -> rows.add(BenchEnvironment.row("  JVM: " + e.getKey(),
						BenchEnvironment.format(msPerOperation(e.getValue())) + " ms CPU/" + unit,
						BenchEnvironment.format(cores(e.getValue())) + " cores")));
			rows.add(BenchEnvironment.row("  PostgreSQL (all its processes)",
					BenchEnvironment.format(msPerOperation(this.postgresCpu)) + " ms CPU/" + unit,
					BenchEnvironment.format(cores(this.postgresCpu)) + " cores"));
			rows.add(BenchEnvironment.row("  server total (JVM less load generator + PostgreSQL)",
					BenchEnvironment.format(msPerOperation(serverCpu())) + " ms CPU/" + unit,
					BenchEnvironment.format(cores(serverCpu())) + " cores"));
			rows.add(BenchEnvironment.row("  other processes on the machine", "-",
					BenchEnvironment.format(cores(this.othersCpu)) + " cores"));
			rows.add(BenchEnvironment.row("  PostgreSQL commits",
					BenchEnvironment.format((double) this.commits / Math.max(1, this.operations)) + " /" + unit, "-"));
			if (this.statementsCounted) {
				rows.add(BenchEnvironment.row("  SQL statements (pg_stat_statements)",
						BenchEnvironment.format((double) this.statements / Math.max(1, this.operations)) + " /" + unit,
						"-"));
			}
			return rows;
		}

		/** The rate if the server had the machine's 2 cores to itself at the CPU cost measured here. */
		double cpuBoundCeiling(int cores) {
			double perOperation = (double) serverCpu() / Math.max(1, this.operations);
			return cores * 1e9 / perOperation;
		}

	}

}

package io.nurtureflow.bench;

import java.util.TreeMap;
import java.util.stream.Collectors;

/** The exact command lines that rerun a benchmark, with the overrides this run was given. */
final class Commands {

	private Commands() {
	}

	static String maven(Class<?> benchmark) {
		return "mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:java -Dexec.classpathScope=test"
				+ " -Dexec.cleanupDaemonThreads=false"
				+ " -Dexec.mainClass=" + benchmark.getName() + overrides();
	}

	static String java(Class<?> benchmark) {
		return "mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test"
				+ " && java" + overrides() + " -cp \"$(cat cp.txt):target/classes:target/test-classes\" "
				+ benchmark.getName();
	}

	/** The rerun lines for a report: the plain JVM this was measured with, and exec:java. */
	static String rerun(Class<?> benchmark) {
		return "\nRerun (plain JVM, how these figures were measured):\n  " + java(benchmark) + "\n"
				+ "or through Maven (exec:java's class loader serialises the class look-ups Spring MVC makes on"
				+ " every request, so HTTP figures come out lower):\n  " + maven(benchmark) + "\n";
	}

	/** System properties that change a benchmark or the app: bench.*, camunda.*, spring.*, nurture.*. */
	private static String overrides() {
		var chosen = new TreeMap<String, String>();
		System.getProperties().forEach((key, value) -> {
			String name = key.toString();
			if (name.startsWith("bench.") || name.startsWith("camunda.") || name.startsWith("nurture.")
					|| (name.startsWith("spring.") && !name.startsWith("spring.test."))) {
				chosen.put(name, value.toString());
			}
		});
		return chosen.entrySet().stream().map((e) -> " -D" + e.getKey() + "=" + e.getValue()).collect(
				Collectors.joining());
	}

}

package io.nurtureflow.support;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Groups test classes by the server context they need (plain H2, live channels, PostgreSQL), so
 * each context is built once even though only one is kept at a time.
 */
public class DatabaseClassOrderer implements ClassOrderer {

	@Override
	public void orderClasses(ClassOrdererContext context) {
		context.getClassDescriptors()
			.sort(Comparator.comparingInt(DatabaseClassOrderer::context)
				.thenComparing((ClassDescriptor c) -> c.getTestClass().getName()));
	}

	private static int context(ClassDescriptor test) {
		if (!test.isAnnotated(NurtureflowTest.class) && !test.isAnnotated(LiveChannelsTest.class)
				&& !test.isAnnotated(PostgresTest.class)
				&& test.isAnnotated(org.springframework.boot.test.context.SpringBootTest.class)) {
			// a context of its own (the demo loader's, the database restart's): last, so no shared context is rebuilt after it
			return 3;
		}
		if (test.isAnnotated(PostgresTest.class)) {
			return 2;
		}
		return test.isAnnotated(LiveChannelsTest.class) ? 1 : 0;
	}

}

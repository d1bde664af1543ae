package io.nurtureflow.support;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/** Runs the PostgreSQL test classes after all others, so the H2 context is built only once. */
public class DatabaseClassOrderer implements ClassOrderer {

	@Override
	public void orderClasses(ClassOrdererContext context) {
		context.getClassDescriptors()
			.sort(Comparator.comparing((ClassDescriptor c) -> c.isAnnotated(PostgresTest.class))
				.thenComparing((ClassDescriptor c) -> c.getTestClass().getName()));
	}

}

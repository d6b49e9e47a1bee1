package filesapi.local;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one server per test class, reset before each test, handed to any test or lifecycle method that takes a
 * {@link FilesApiServer} parameter. {@code @ExtendWith(FilesApiExtension.class)} for the defaults, or
 * {@code @RegisterExtension static FilesApiExtension files = new FilesApiExtension(FilesApiServer.builder()...)}.
 */
public final class FilesApiExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FilesApiExtension.class);

    private final FilesApiServer.Builder builder;

    public FilesApiExtension() {
        this(FilesApiServer.builder());
    }

    public FilesApiExtension(FilesApiServer.Builder builder) {
        this.builder = builder;
    }

    /** The class's server once it has started (from {@code @BeforeAll} on). */
    public FilesApiServer server(ExtensionContext context) {
        return running(context).server();
    }

    /** Closed by JUnit when the class's context closes. */
    @SuppressWarnings("deprecation") // CloseableResource, not AutoCloseable: suites on JUnit before 5.13 close it too
    private record Running(FilesApiServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }

    /** Made in the class's store by {@link #beforeAll}; a test's store finds it there, as stores look up. */
    private Running running(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> {
            try {
                return new Running(builder.start());
            } catch (Exception e) {
                throw new IllegalStateException("the Files API local server did not start: " + e.getMessage(), e);
            }
        }, Running.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        running(context).server().reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FilesApiServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context).server();
    }
}

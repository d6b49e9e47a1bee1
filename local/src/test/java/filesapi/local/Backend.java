package filesapi.local;

import filesapi.AwsClients;

/** Where scenario tests keep their data: the embedded emulators, or LocalStack in Docker. */
public interface Backend extends AutoCloseable {
    AwsClients clients();

    String table();

    String bucket();

    @Override
    void close();

    static Backend embedded() throws Exception {
        TemplateModel template = TestApi.template();
        EmbeddedBackends backends = EmbeddedBackends.start(template, "files-api-test", "files-api-test", null);
        return new Backend() {
            public AwsClients clients() { return backends.clients(); }
            public String table() { return "files-api-test"; }
            public String bucket() { return "files-api-test"; }
            public void close() { backends.close(); }
        };
    }
}

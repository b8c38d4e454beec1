import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local (same command-line options as DynamoDBLocal.jar) listening on 127.0.0.1 only.
 *
 * DynamoDB Local has no option for the address it listens on: its DynamoDBProxyServer builds a Jetty
 * Server with `new Server(port)`, whose one connector binds every interface. This launcher lets
 * DynamoDB Local build its server as usual, sets the host of that server's connectors to 127.0.0.1
 * before it starts, then starts it. It fails (rather than listen on every interface) if a new version
 * of DynamoDB Local no longer has the private `server` field or its connectors are of another kind.
 */
public final class LoopbackDynamoDbLocal {
  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's Jetty server has no connector");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
  }
}

package dev.hybrid.cli.config;

/**
 * Everything hybrid.yaml can say about a stack. Every field has a default ({@link #defaults()}).
 *
 * @param stack name of the stack; prefixes the resources it creates
 * @param reply what the web tier answers
 */
public record StackConfig(String stack, OpenStack openstack, Aws aws, Model model, ReplyMode reply) {

    /**
     * @param cloud            clouds.yaml cloud to use when neither {@code --os-cloud} nor {@code OS_CLOUD} says; null to auto-pick
     * @param sshCidr          who may SSH to the web VM; null means "the address this machine reaches the cloud from, /32"
     *                         (see {@link SshCidr#resolve})
     */
    public record OpenStack(String cloud, String flavor, String network, String externalNetwork, int webPort, String sshCidr,
                            WebImageSource webImage) {
    }

    /** @param warmPool stopped-but-ready workers kept beside the running ones */
    public record Aws(String region, String instanceType, Scaling scaling) {
    }

    public record Scaling(int min, int max, int warmPool) {
    }

    /** @param labels labels file for the model, null when the model brings its own */
    public record Model(String url, String labels, String profile) {
    }

    public static StackConfig defaults() {
        return new StackConfig("hybrid",
                new OpenStack(null, "m1.small", "private", "public", 8080, null, new WebImageSource.GlanceImage("hybrid-web")),
                new Aws("us-east-1", "t3.medium", new Scaling(0, 20, 0)),
                new Model("djl://ai.djl.pytorch/resnet", null, "cse546"),
                ReplyMode.LABEL);
    }
}

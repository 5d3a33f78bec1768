package dev.hybrid.cli.config;

/** The commented hybrid.yaml that {@code hybrid init} writes; every value in it is the default. */
final class StackConfigTemplate {
    private StackConfigTemplate() {
    }

    static final String TEXT = """
            # hybrid.yaml: how 'hybrid up' builds the stack. Every value below is the default;
            # delete a line to keep the default, or change it. Command-line flags override this file.
            # Credentials do not belong here: OpenStack ones live in clouds.yaml/secure.yaml
            # (see docs/configuration.md), AWS ones in the AWS credential chain.

            # Name of the stack; prefixes queues, buckets and servers. Lower case, digits and '-'.
            stack: hybrid

            # What a plain upload answers: 'label' (e.g. bathtub) or 'name-label' (test_0:bathtub, as the
            # CSE 546 workload generator expects). A client gets JSON with ?reply=json or Accept: application/json.
            reply: label

            openstack:
              # Which cloud of clouds.yaml to use when neither --os-cloud nor OS_CLOUD says;
              # leave empty to use the only cloud in clouds.yaml.
              cloud:
              # Flavor of the web-tier VM.
              flavor: m1.small
              # Tenant network the VM is attached to, and the external network its floating IP comes from.
              network: private
              external_network: public
              # Port the web tier listens on (opened in the security group).
              web_port: 8080
              # Who may SSH to the VM. 'auto' = this machine's address towards the cloud's auth_url, as /32
              # (127.0.0.1/32 for a cloud on loopback). Behind NAT, write your public address instead.
              ssh_cidr: auto
              # The VM image: a file PATH, s3://BUCKET/KEY, https://URL, or glance:NAME for an image already in Glance.
              web_image: glance:hybrid-web

            aws:
              region: us-east-1
              # Instance type of the app-tier workers and of the image builder (also HYBRID_APP_INSTANCE_TYPE).
              instance_type: t3.medium
              scaling:
                # Workers kept running when there is no work, and the most that may ever run.
                min: 0
                max: 20
                # Stopped workers kept ready to start quickly; counted within max.
                warm_pool: 0

            model:
              # Model to classify with (also HYBRID_MODEL_URL).
              url: djl://ai.djl.pytorch/resnet
              # Labels file; leave empty when the model brings its own (also HYBRID_MODEL_LABELS).
              labels:
              # Pre-processing: 'cse546' (the image at its own size, as the course's classifier) or
              # 'imagenet' (resize 256, crop 224, normalise) (also HYBRID_MODEL_PROFILE).
              profile: cse546
            """;
}

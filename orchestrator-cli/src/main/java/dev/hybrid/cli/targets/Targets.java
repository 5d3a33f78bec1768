package dev.hybrid.cli.targets;

import dev.hybrid.cli.config.Blank;
import dev.hybrid.cli.output.Console;

/**
 * The one place that decides where a stack runs. The OpenStack side is {@code --os-cloud}, else {@code $OS_CLOUD},
 * else {@code openstack.cloud} of hybrid.yaml; the AWS side is {@code --aws}. {@code --local} stands for both local.
 * <ul>
 *   <li>OpenStack {@code local} and AWS {@code local}: everything on this machine ({@link LocalTarget}).</li>
 *   <li>OpenStack {@code local} and any other AWS: the web tier here, the rest on AWS ({@link LocalWebTarget}).</li>
 *   <li>Otherwise: the clouds ({@link CloudTarget}); with no OpenStack cloud at all, the AWS side alone.</li>
 * </ul>
 * A new kind of target is one more line here and one more implementation of {@link Target}; commands do not change.
 */
public final class Targets {
    private Targets() {
    }

    public static Target choose(Console console, TargetSpec given) {
        // hybrid.yaml (-c FILE, or ./hybrid.yaml) is read and checked before any target acts: a missing file, a directory
        // or a bad value is a one-line error before an emulator starts or a status is shown, for every target alike.
        StackSession.stackConfig(console.env(), given);
        TargetSpec spec = given.withOsCloud(openStackCloud(console, given));
        if (TargetSpec.LOCAL.equals(spec.osCloud())) {
            return TargetSpec.LOCAL.equals(spec.aws()) ? new LocalTarget(console, spec) : new LocalWebTarget(console, spec);
        }
        return CloudTarget.clouds(console, spec);
    }

    /** Everything on this machine, as {@code hybrid demo} runs it. */
    public static LocalTarget local(Console console) {
        return new LocalTarget(console, TargetSpec.local());
    }

    /** hybrid.yaml is read only when neither the command line nor the environment names a cloud. */
    private static String openStackCloud(Console console, TargetSpec given) {
        String named = Blank.firstNonBlank(given.osCloud(), console.env().get("OS_CLOUD"));
        return named != null ? named : Blank.toNull(StackSession.stackConfig(console.env(), given).openstack().cloud());
    }
}

#!/usr/bin/python3
"""Boots a server with a floating IP on devstack-lite and removes everything again.

Prints PASS/FAIL and the time of each step; the exit code is the number of
failed steps. Resources are named dl-smoke-*, and leftovers from an
interrupted run are removed first.
"""
import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time

import openstack

PREFIX = "dl-smoke"
failures = 0


def step(name, action):
    global failures
    started = time.monotonic()
    try:
        detail = action()
        print(f"PASS {name:<28} {time.monotonic() - started:6.2f} s  {detail or ''}", flush=True)
        return True
    except Exception as error:  # report and go on; cleanup must still run
        failures += 1
        print(f"FAIL {name:<28} {time.monotonic() - started:6.2f} s  {type(error).__name__}: {error}",
              flush=True)
        return False


def cleanup(conn):
    removed = 0
    for server in conn.compute.servers(name=f"^{PREFIX}"):
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=120)
        removed += 1
    for fip in conn.network.ips(description=PREFIX):
        conn.network.delete_ip(fip)
        removed += 1
    for group in conn.network.security_groups(name=f"{PREFIX}-sg"):
        conn.network.delete_security_group(group)
        removed += 1
    if conn.compute.find_keypair(f"{PREFIX}-key"):
        conn.compute.delete_keypair(f"{PREFIX}-key")
        removed += 1
    for image in conn.image.images(name=f"{PREFIX}-image"):
        conn.image.delete_image(image)
        removed += 1
    return f"{removed} resources removed"


def main():
    conn = openstack.connect(cloud=os.environ.get("OS_CLOUD", "devstack-lite"))
    state = {}
    work = tempfile.mkdtemp(prefix=PREFIX)
    total = time.monotonic()

    def token():
        return f"{len(conn.session.get_token())}-character token issued"

    def image():
        path = os.path.join(work, "disk.vmdk")
        subprocess.run(["qemu-img", "create", "-q", "-f", "vmdk", path, "64M"], check=True)
        state["image"] = conn.create_image(f"{PREFIX}-image", filename=path, disk_format="vmdk",
                                           container_format="bare", wait=True)
        return f"{state['image'].id} {state['image'].status}"

    def keypair():
        key = os.path.join(work, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        with open(key + ".pub") as public:
            pair = conn.compute.create_keypair(name=f"{PREFIX}-key", public_key=public.read())
        return pair.fingerprint

    def security_group():
        group = conn.network.create_security_group(name=f"{PREFIX}-sg")
        for protocol, port in (("tcp", 22), ("tcp", 8080), ("icmp", None)):
            conn.network.create_security_group_rule(
                security_group_id=group.id, direction="ingress", ethertype="IPv4",
                protocol=protocol, port_range_min=port, port_range_max=port,
                remote_ip_prefix="0.0.0.0/0")
        return f"{group.id} tcp/22 tcp/8080 icmp"

    def server():
        private = conn.network.find_network("private", ignore_missing=False)
        flavor = conn.compute.find_flavor("m1.tiny", ignore_missing=False)
        created = conn.compute.create_server(
            name=f"{PREFIX}-server", image_id=state["image"].id, flavor_id=flavor.id,
            networks=[{"uuid": private.id}], security_groups=[{"name": f"{PREFIX}-sg"}],
            key_name=f"{PREFIX}-key",
            user_data=base64.b64encode(b"#cloud-config\n").decode())
        state["server"] = conn.compute.wait_for_server(created, status="ACTIVE", wait=180)
        return f"{state['server'].id} ACTIVE"

    def floating_ip():
        public = conn.network.find_network("public", ignore_missing=False)
        port = next(conn.network.ports(device_id=state["server"].id))
        fip = conn.network.create_ip(floating_network_id=public.id, description=PREFIX)
        conn.network.update_ip(fip, port_id=port.id)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            addresses = conn.compute.get_server(state["server"].id).addresses
            if any(a["addr"] == fip.floating_ip_address for net in addresses.values() for a in net):
                port = conn.network.get_port(port.id)
                fip = conn.network.get_ip(fip.id)
                return (f"{fip.floating_ip_address} on port {port.id} (vif_type={port.binding_vif_type}, "
                        f"port status {port.status}, floating IP status {fip.status}: no data plane)")
            time.sleep(0.5)
        raise TimeoutError(f"{fip.floating_ip_address} never appeared in the server's addresses")

    def allocation():
        response = conn.session.get(
            f"/allocations/{state['server'].id}",
            endpoint_filter={"service_type": "placement", "interface": "public"},
            headers={"OpenStack-API-Version": "placement 1.28"})
        allocations = response.json()["allocations"]
        if not allocations:
            raise AssertionError("placement holds no allocation for the server")
        return " ".join(f"{k}={v}" for a in allocations.values() for k, v in a["resources"].items())

    step("leftovers removed", lambda: cleanup(conn))
    steps = [("token", token), ("vmdk image active", image), ("keypair imported", keypair),
             ("security group 22/8080/icmp", security_group), ("server ACTIVE", server),
             ("floating IP on the server", floating_ip), ("placement allocation", allocation)]
    for name, action in steps:
        if not step(name, action):
            break
    active_with_fip = time.monotonic() - total
    step("cleanup", lambda: cleanup(conn))
    shutil.rmtree(work, ignore_errors=True)
    print(f"{'PASS' if failures == 0 else 'FAIL'}: {failures} failed step(s); "
          f"server ACTIVE with floating IP {active_with_fip:.1f} s after start; "
          f"total {time.monotonic() - total:.1f} s")
    return failures


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Creates what devstack-lite needs inside the running services.

  bootstrap.py identity   service project, service users, catalog
  bootstrap.py resources  public/private networks, router1, flavors

Passwords come from the environment (DL_ADMIN_PASS, DL_SERVICE_PASS), never
from arguments. Both phases are idempotent.
"""
import os
import sys

import openstack

AUTH_URL = "http://127.0.0.1:5000/v3"
REGION = "RegionOne"
SERVICES = {
    # name: (type, url)
    "glance": ("image", "http://127.0.0.1:9292"),
    "nova": ("compute", "http://127.0.0.1:8774/v2.1"),
    "neutron": ("network", "http://127.0.0.1:9696"),
    "placement": ("placement", "http://127.0.0.1:8778"),
}
FLAVORS = {"m1.tiny": (1, 512, 1), "m1.small": (1, 2048, 20)}


def admin_connection():
    return openstack.connect(
        auth_url=AUTH_URL, username="admin", password=os.environ["DL_ADMIN_PASS"],
        project_name="admin", user_domain_name="Default",
        project_domain_name="Default", region_name=REGION,
        identity_api_version="3")


def identity(conn):
    ident = conn.identity
    project = (ident.find_project("service", domain_id="default")
               or ident.create_project(name="service", domain_id="default"))
    admin_role = ident.find_role("admin")
    for name, (kind, url) in SERVICES.items():
        user = ident.find_user(name, domain_id="default")
        if user is None:
            user = ident.create_user(name=name, domain_id="default",
                                     password=os.environ["DL_SERVICE_PASS"])
        ident.assign_project_role_to_user(project, user, admin_role)
        service = ident.find_service(name) or ident.create_service(name=name, type=kind)
        existing = {e.interface for e in ident.endpoints(service_id=service.id)}
        for interface in ("public", "internal", "admin"):
            if interface not in existing:
                ident.create_endpoint(service_id=service.id, interface=interface,
                                      url=url, region_id=REGION)


def resources(conn):
    net = conn.network
    public = net.find_network("public") or net.create_network(
        name="public", is_router_external=True, is_shared=False,
        provider_network_type="flat", provider_physical_network="public")
    # With real compute the public network is a bridge on this machine (172.24.4.1): without a
    # gateway the routers reach this machine and nothing beyond it.
    real = os.environ.get("DL_COMPUTE") == "qemu"
    public_subnet = net.find_subnet("public-subnet") or net.create_subnet(
        name="public-subnet", network_id=public.id, ip_version=4,
        cidr="172.24.4.0/24", gateway_ip=None if real else "172.24.4.1", is_dhcp_enabled=False,
        allocation_pools=[{"start": "172.24.4.10", "end": "172.24.4.250"}])
    private = net.find_network("private") or net.create_network(
        name="private", provider_network_type="vxlan")
    private_subnet = net.find_subnet("private-subnet") or net.create_subnet(
        name="private-subnet", network_id=private.id, ip_version=4,
        cidr="10.0.0.0/24", gateway_ip="10.0.0.1")
    router = net.find_router("router1")
    if router is None:
        router = net.create_router(
            name="router1", external_gateway_info={"network_id": public.id})
        net.add_interface_to_router(router, subnet_id=private_subnet.id)
    for name, (vcpus, ram, disk) in FLAVORS.items():
        if conn.compute.find_flavor(name) is None:
            conn.compute.create_flavor(name=name, vcpus=vcpus, ram=ram, disk=disk)
    print(f"public={public.id} public-subnet={public_subnet.id} "
          f"private={private.id} router1={router.id}")


def main(argv):
    phases = {"identity": identity, "resources": resources}
    if len(argv) != 2 or argv[1] not in phases:
        sys.exit("usage: bootstrap.py identity|resources")
    phases[argv[1]](admin_connection())


if __name__ == "__main__":
    main(sys.argv)

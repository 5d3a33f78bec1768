#!/usr/bin/python3
"""Heartbeat-only stand-in for neutron-openvswitch-agent.

It sends neutron's own report_state RPC with the payload the real Open vSwitch
agent sends, so ML2's unmodified openvswitch mechanism driver sees an alive
agent on this host and binds ports (vif_type ovs). It touches no bridge, flow
or namespace: there is no data plane behind it.

Usage: fake-ovs-agent.py --config-file /etc/neutron/neutron.conf
"""
import logging
import sys
import time

from neutron_lib import constants
from neutron_lib import context as n_context
from neutron_lib.agent import topics
from oslo_config import cfg

from neutron.agent import rpc as agent_rpc
from neutron.api.rpc.callbacks import resources
from neutron.common import config as common_config
from neutron.conf.agent import common as agent_config

# A report sent before neutron-server's RPC consumers exist would block for a
# whole report_interval; retry quickly until the first one is answered.
FIRST_REPORT_TIMEOUT = 3

LOG = logging.getLogger("fake-ovs-agent")


def agent_state(host, start_flag):
    return {
        "binary": "neutron-openvswitch-agent",
        "host": host,
        "topic": constants.L2_AGENT_TOPIC,
        "agent_type": constants.AGENT_TYPE_OVS,
        "start_flag": start_flag,
        "resource_versions": resources.LOCAL_RESOURCE_VERSIONS,
        "configurations": {
            "bridge_mappings": {"public": "br-ex"},
            "tunnel_types": ["vxlan"],
            "tunneling_ip": "127.0.0.1",
            "l2_population": False,
            "arp_responder_enabled": False,
            "enable_distributed_routing": False,
            "ovs_hybrid_plug": False,
            "datapath_type": "system",
            "integration_bridge": "br-int",
            "ovs_capabilities": {"datapath_types": ["system"],
                                 "iface_types": ["internal", "vxlan"]},
            "devices": 0,
        },
    }


def main():
    common_config.register_common_config_options()
    agent_config.register_agent_state_opts_helper(cfg.CONF)
    common_config.init(sys.argv[1:])
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    LOG.setLevel(logging.INFO)
    host = cfg.CONF.host
    interval = cfg.CONF.AGENT.report_interval
    api = agent_rpc.PluginReportStateAPI(topics.REPORTS)
    api.timeout = FIRST_REPORT_TIMEOUT
    context = n_context.get_admin_context_without_session()
    reported = False
    while True:
        started = time.monotonic()
        try:
            api.report_state(context, agent_state(host, not reported),
                             use_call=True)
            if not reported:
                LOG.info("first report accepted: host=%s interval=%ss",
                         host, interval)
                api.timeout = interval
            reported = True
        except Exception as error:  # keep beating whatever the server says
            LOG.warning("report_state failed: %s", error)
        pause = FIRST_REPORT_TIMEOUT if not reported else interval
        time.sleep(max(0.0, pause - (time.monotonic() - started)))


if __name__ == "__main__":
    main()

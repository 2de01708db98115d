/** deploy/prometheus.yml: the fixed jobs as they stand, and every subgraph as a target of the subgraph job. */
import { GENERATED, type DeployPlan } from './model.js';

export function prometheusFile(plan: DeployPlan): string {
  return `${GENERATED}
#
# Prometheus in docker-compose.yml: every /metrics of the deployment, scraped on the internal network
# (the load balancer does not pass /metrics to clients). test/ops/compose.test.ts checks that every
# gateway and subgraph service is a target here, on the port it listens on.
global:
  scrape_interval: 15s
  scrape_timeout: 5s
  evaluation_interval: 15s

scrape_configs:
  - job_name: gateway
    static_configs:
      - targets: ["gateway-1:4000", "gateway-2:4000"]

  - job_name: subgraph
    static_configs:
      - targets:
${plan.subgraphs.map((s) => `          - "${s.service}:${s.port}"`).join('\n')}

  - job_name: load-balancer
    static_configs:
      - targets: ["load-balancer:8405"]
`;
}

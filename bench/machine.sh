# Sourced by the benchmark scripts: `machine` prints the line that says where figures were measured.
machine() {
  local cpu
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
  echo "Machine: $cpu, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM. Date: $(date -u +%F)."
}

"""Synthetic sample data (示例数据) for the demo: the anchors (`anchors`) and the generator (`generate`)."""

from monitor.sample_data.anchors import SAMPLE_TODAY
from monitor.sample_data.generate import SampleData, generate_sample

__all__ = ["SAMPLE_TODAY", "SampleData", "generate_sample"]

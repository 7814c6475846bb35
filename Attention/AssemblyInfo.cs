// QSim.Attention: quantum self-attention layers and the QViT pipeline (issue #5). The project builds now so that the
// solution has its final shape; its types arrive with that issue.
[assembly: System.CLSCompliant(false)]

app_name = "writeups"

urlpatterns = []
